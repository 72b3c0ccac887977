namespace BlazorChat.Chat;

/// <summary>Running totals for metrics, read without the lock.</summary>
public sealed partial class ChatRouter
{
    private long _messagesDelivered;

    /// <summary>Messages delivered since start (refused sends not counted).</summary>
    public long MessagesDelivered => Interlocked.Read(ref _messagesDelivered);
}
