namespace BlazorChat.Chat;

/// <summary>Something the router tells one connection. Events are immutable and delivered in the order the router decided them.</summary>
[GenerateSerializer, Immutable]
public abstract record ChatEvent;

/// <summary>A user's public status changed (everyone connected is told).</summary>
[GenerateSerializer, Immutable]
public sealed record PeopleChanged : ChatEvent
{
    public static readonly PeopleChanged Instance = new();

    private PeopleChanged()
    {
    }
}

/// <summary>This user's own standing pick changed (null: none), and when it lapses (null: never). Sent to all of the user's tabs.</summary>
[GenerateSerializer, Immutable]
public sealed record PickChanged(string? Peer, DateTimeOffset? ExpiresAt = null) : ChatEvent;

/// <summary>Someone picked this user and is waiting for them.</summary>
[GenerateSerializer, Immutable]
public sealed record ChatRequestReceived(string From) : ChatEvent;

/// <summary>Someone who had picked this user withdrew, picked another, or left.</summary>
[GenerateSerializer, Immutable]
public sealed record ChatRequestWithdrawn(string From) : ChatEvent;

/// <summary>Both picked each other: the pair may chat now.</summary>
[GenerateSerializer, Immutable]
public sealed record ChatStarted(long ConversationId, string Partner, DateTimeOffset StartedAt) : ChatEvent;

/// <summary>A message in this user's conversation (sent by either side).</summary>
[GenerateSerializer, Immutable]
public sealed record MessageReceived(long ConversationId, ChatMessage Message) : ChatEvent;

/// <summary>The conversation is over; <paramref name="EndedBy"/> is the user who ended it or left.</summary>
[GenerateSerializer, Immutable]
public sealed record ChatEnded(long ConversationId, string Partner, string EndedBy, ChatEndReason Reason) : ChatEvent;

/// <summary>The user signed out: every tab of theirs must leave the chat pages.</summary>
[GenerateSerializer, Immutable]
public sealed record SignedOut : ChatEvent;

/// <summary>A line of a chat: a message <paramref name="Sender"/> typed, or (<see cref="ChatMessageKind.Call"/>) the router's line for a call they placed.</summary>
[GenerateSerializer, Immutable]
public sealed record ChatMessage(long Sequence, string Sender, string Text, DateTimeOffset SentAt, ChatMessageKind Kind = ChatMessageKind.Text);

[GenerateSerializer]
public enum ChatMessageKind
{
    Text,

    /// <summary>A call's summary ("Video call · 2:31", "Missed voice call"), written by the router, never typed.</summary>
    Call,
}

[GenerateSerializer]
public enum PresenceStatus
{
    Offline,
    Online,
    Waiting,
    InChat,
}

[GenerateSerializer]
public enum ChatEndReason
{
    /// <summary>One side typed @end or pressed "End chat".</summary>
    Ended,

    /// <summary>One side closed their last tab, lost their connection for good, or signed out.</summary>
    Left,
}
