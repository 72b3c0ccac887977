namespace BlazorChat.Chat;

[GenerateSerializer]
public enum PickResult
{
    /// <summary>The pick stands; the peer has not picked back yet.</summary>
    Waiting,

    /// <summary>The peer had picked back: the two are now chatting.</summary>
    Paired,

    UnknownUser,
    CannotPickSelf,
    AlreadyInChat,

    /// <summary>The user changed requests more often than allowed per minute; nothing was changed, they may try again shortly.</summary>
    TooFast,

    /// <summary>The user has blocked the person picked; nothing was changed (they unblock first).</summary>
    Blocked,

    /// <summary>This connection is closed, or its user has left (every tab unreachable past the grace); nothing was changed.</summary>
    Disconnected,
}

[GenerateSerializer]
public enum ConnectStatus
{
    Connected,

    /// <summary>The user already has <see cref="ChatOptions.MaxTabsPerUser"/> tabs open; nothing was opened.</summary>
    TooManyTabs,

    /// <summary>The tab's address already has <see cref="ChatOptions.MaxTabsPerAddress"/> tabs open; nothing was opened.</summary>
    TooManyTabsFromAddress,

    /// <summary>The tab's sign-in has ended (its circuit finds this before asking the router); nothing was opened.</summary>
    SignedOut,
}

/// <summary>What opening a tab's connection gave: the connection, or why there is none.</summary>
public readonly record struct ConnectResult(ConnectStatus Status, ChatConnection? Connection = null);

[GenerateSerializer]
public enum SendStatus
{
    Delivered,

    /// <summary>Empty or whitespace only: nothing to send.</summary>
    Ignored,

    TooLong,

    /// <summary>The user sent more than the allowed messages per second; nothing was sent, they may try again shortly.</summary>
    TooFast,

    NotInChat,

    /// <summary>The text was the end command: the conversation is over for both.</summary>
    Ended,

    Disconnected,
}

[GenerateSerializer, Immutable]
public readonly record struct SendResult(SendStatus Status, ChatMessage? Message = null);

/// <summary>What one user sees right now. Taken atomically when a connection opens.</summary>
[GenerateSerializer, Immutable]
public sealed record ChatSnapshot(
    string UserName,
    string? Pick,
    IReadOnlyList<string> IncomingRequests,
    ConversationSnapshot? Conversation,
    DateTimeOffset? PickExpiresAt = null);

/// <summary>Someone another user may pick, and how they are doing.</summary>
/// <param name="Name">The account's name as stored.</param>
/// <param name="Status">Their status as the viewer sees it (offline when a block stands between them).</param>
/// <param name="Blocked">The viewer has blocked them (shown offline, with "Unblock").</param>
[GenerateSerializer, Immutable]
public readonly record struct PersonStatus(string Name, PresenceStatus Status, bool Blocked = false);

/// <summary>One screenful of people, and how many match in all.</summary>
[GenerateSerializer, Immutable]
public sealed record PeoplePage(IReadOnlyList<PersonStatus> People, int Matches);

/// <summary>A chat as a tab opens on it; <c>PartnerSeen</c> is how far the partner has seen it, as this user may be shown it (see <see cref="MessagesSeen"/>).</summary>
[GenerateSerializer, Immutable]
public sealed record ConversationSnapshot(long Id, string Partner, DateTimeOffset StartedAt, IReadOnlyList<ChatMessage> Messages, long PartnerSeen = 0);

/// <summary>What the router holds at one moment (see <see cref="ChatRouter.GetCounts"/>).</summary>
/// <param name="Connections">Open connections: one per tab (circuit) that opened the chat.</param>
/// <param name="TrackedUsers">Users the router holds any state for (online, or offline with a tab still attached).</param>
/// <param name="OnlineUsers">Users shown as online to others (including those within a grace period).</param>
/// <param name="ReachableUsers">Users with at least one tab whose browser is connected right now.</param>
/// <param name="Conversations">Chats in progress.</param>
/// <param name="WaitingUsers">Users with a standing pick who are not chatting.</param>
[GenerateSerializer, Immutable]
public readonly record struct RouterCounts(
    int Connections, int TrackedUsers, int OnlineUsers, int ReachableUsers, int Conversations, int WaitingUsers);
