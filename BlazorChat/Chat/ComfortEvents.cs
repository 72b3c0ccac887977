namespace BlazorChat.Chat;

/// <summary>
/// The partner of this chat started (<paramref name="IsTyping"/>) or stopped typing. Only the start and the
/// end are sent: a person who keeps typing costs the partner no further event. A message from the partner also
/// ends it, without an event of its own.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PartnerTyping(long ConversationId, string Partner, bool IsTyping) : ChatEvent;

/// <summary>
/// The partner's visible tab has shown this chat up to <paramref name="UpToSequence"/>: this user's messages up
/// to it are seen. 0 when nothing is to be shown (read receipts are off on either side).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MessagesSeen(long ConversationId, long UpToSequence) : ChatEvent;

[GenerateSerializer]
public enum TypingResult
{
    /// <summary>The partner is shown "is typing…" for <see cref="ChatOptions.TypingTimeout"/> from now.</summary>
    Shown,

    /// <summary>The tab signalled more often than allowed: nothing changed.</summary>
    TooFast,

    /// <summary>The chat the tab shows is not (or no longer) the user's chat.</summary>
    NotInChat,

    Disconnected,
}

[GenerateSerializer]
public enum SeenResult
{
    /// <summary>The mark moved on; the partner is told if read receipts are on for both.</summary>
    Marked,

    /// <summary>The chat was already marked as far: nothing changed.</summary>
    Unchanged,

    /// <summary>Read receipts are off for one of the two: nothing is recorded.</summary>
    ReceiptsOff,

    /// <summary>No message with that number has been sent in the chat: refused.</summary>
    NotSent,

    NotInChat,

    Disconnected,
}
