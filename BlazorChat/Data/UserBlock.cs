namespace BlazorChat.Data;

/// <summary>One person blocking another: kept until unblocked, and gone with either account.</summary>
public sealed class UserBlock
{
    public int BlockerId { get; set; }

    public int BlockedId { get; set; }

    /// <summary>UTC ticks of when the block was made.</summary>
    public long CreatedUtcTicks { get; set; }
}
