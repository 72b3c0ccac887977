namespace BlazorChat.Data;

/// <summary>One sign-in. Its id is in the auth cookie; a cookie whose session has ended is refused.</summary>
public sealed class SignInSession
{
    public required string Id { get; set; }

    public int UserId { get; set; }

    public long CreatedUtcTicks { get; set; }

    /// <summary>Set at sign-out; null while the session is open.</summary>
    public long? EndedUtcTicks { get; set; }
}
