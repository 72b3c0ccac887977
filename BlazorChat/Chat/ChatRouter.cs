using System.Diagnostics;
using System.Runtime.InteropServices;
using BlazorChat.Accounts;
using BlazorChat.Calls;
using BlazorChat.Data;
using Microsoft.Extensions.Options;

namespace BlazorChat.Chat;

/// <summary>
/// Pairs users who picked each other and forwards each message to the pair only. The one singleton with
/// mutable state: plain collections behind one lock. Under the lock it only decides and queues events on
/// the connections concerned (see <see cref="ChatConnection.Post"/>); it never awaits, logs or runs
/// subscriber code there. Every helper that must run under the lock ends in <c>Locked</c> and asserts it.
/// </summary>
/// <remarks>
/// <para>A person's states, as others see them (<see cref="PresenceStatus"/>), and the method for each move:</para>
/// <list type="table">
/// <listheader><term>move</term><description>method</description></listheader>
/// <item><term>offline → online</term><description><see cref="TryConnect"/> (their first tab opens), or
/// <see cref="SetReachable"/> (a dropped tab comes back)</description></item>
/// <item><term>online → waiting</term><description><see cref="Pick"/>: they pick someone who has not picked them
/// (<see cref="PickLocked"/>)</description></item>
/// <item><term>waiting → online</term><description><see cref="Withdraw"/></description></item>
/// <item><term>online or waiting → in a chat</term><description><see cref="Pick"/>: they pick someone who picked
/// them (<see cref="StartConversationLocked"/>)</description></item>
/// <item><term>in a chat → online</term><description><see cref="End"/> (<c>@end</c> or "End chat", either side),
/// or the partner leaving (<see cref="EndConversationLocked"/>)</description></item>
/// <item><term>any → offline</term><description><see cref="DepartLocked"/>: their last tab closed and
/// <see cref="ChatOptions.LeaveGrace"/> ran out, every tab stayed unreachable for
/// <see cref="ChatOptions.ReconnectGrace"/> (<see cref="OnDepartureDue"/>), or their last sign-in signed out
/// (<see cref="SignOut"/>)</description></item>
/// </list>
/// <para>
/// Names: every name the router holds is an account's name as stored, looked up in the
/// <see cref="AccountDirectory"/> from whatever a caller gave, and names are compared with <see cref="Names"/>
/// everywhere.
/// </para>
/// </remarks>
public sealed partial class ChatRouter
{
    public const string EndCommand = "@end";

    /// <summary>
    /// How the router tells whether two names are the same person: the accounts' one rule (<see cref="UserNames"/>),
    /// used by its table of users and every check.
    /// </summary>
    internal static readonly IEqualityComparer<string> Names = UserNames.Comparer;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, UserState> _users = new(Names);

    // Who is online, in display order, so a tab can show the first few without looking at everyone. It holds
    // account names as stored, one spelling per person, so ordering them ignoring case also tells them apart.
    private readonly SortedSet<string> _online = new(StringComparer.OrdinalIgnoreCase);

    // Open tabs per client address, for the per-address cap; an address with none has no entry.
    private readonly Dictionary<string, int> _tabsByAddress = new(StringComparer.Ordinal);
    private readonly AccountDirectory _accounts;
    private readonly ChatOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ChatRouter> _logger;
    private long _lastConversationId;
    private int _connectionCount;

    public ChatRouter(
        AccountDirectory accounts, IOptions<ChatOptions> options, TimeProvider time, ChatMetrics metrics, ILogger<ChatRouter> logger,
        IOptions<Files.FilesOptions>? fileOptions = null, Files.FileStore? fileStore = null, IOptions<CallOptions>? callOptions = null)
    {
        _callOptions = callOptions?.Value ?? new CallOptions();
        _accounts = accounts;
        _options = options.Value;
        _time = time;
        Metrics = metrics;
        _logger = logger;
        _fileOptions = fileOptions?.Value ?? new();
        _fileStore = fileStore;
    }

    internal ChatMetrics Metrics { get; }

    internal TimeProvider Time => _time;

    public int MaxMessageLength => _options.MaxMessageLength;

    public int MaxTranscriptMessages => _options.TranscriptLimit;

    /// <summary>Most bytes of text a chat's transcript keeps (see <see cref="MessageText.SizeOf"/>); a tab keeps no more.</summary>
    public long MaxTranscriptBytes => _options.TranscriptBytes;

    /// <summary>Longest message in UTF-16 code units (four per allowed character): what the message box accepts.</summary>
    public int MaxMessageUnits => MessageText.MaxUnits(_options.MaxMessageLength);

    /// <summary>Open connections (tabs) across all users.</summary>
    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    /// <summary>Tabs one user may have open at once (see <see cref="ChatOptions.MaxTabsPerUser"/>).</summary>
    public int MaxTabsPerUser => _options.MaxTabsPerUser;

    /// <summary>Tabs one client address may have open at once; 0 is no limit (see <see cref="ChatOptions.MaxTabsPerAddress"/>).</summary>
    public int MaxTabsPerAddress => _options.MaxTabsPerAddress;

    internal TimeSpan PeopleRefreshInterval => _options.PeopleRefreshInterval;

    /// <summary>
    /// Opens a connection for a signed-in user, who must have fewer than <see cref="MaxTabsPerUser"/> open. The caller
    /// must take <paramref name="userName"/> and <paramref name="sessionId"/> from the authenticated principal, never
    /// from anything the browser sent.
    /// </summary>
    public ChatConnection Connect(string userName, Func<ChatEvent, Task> onEvent, string? sessionId = null)
    {
        var result = TryConnect(userName, onEvent, sessionId, clientAddress: null);
        return result.Connection ?? throw new InvalidOperationException($"{userName} already has {_options.MaxTabsPerUser} tabs open.");
    }

    /// <summary>
    /// Opens a connection for a signed-in user, unless the user already has <see cref="MaxTabsPerUser"/> tabs open or
    /// <paramref name="clientAddress"/> (null: not known, not counted) has <see cref="MaxTabsPerAddress"/>: every tab
    /// is told of every status change, so their number is what one account or address can make everyone pay for.
    /// The caller must take <paramref name="userName"/> and <paramref name="sessionId"/> from the authenticated
    /// principal and <paramref name="clientAddress"/> from the connection, never from anything the browser sent.
    /// </summary>
    public ConnectResult TryConnect(string userName, Func<ChatEvent, Task> onEvent, string? sessionId, string? clientAddress)
    {
        ArgumentNullException.ThrowIfNull(onEvent);
        if (!_accounts.TryGetUserName(userName, out var canonical))
        {
            throw new ArgumentException($"No account is named '{userName}'.", nameof(userName));
        }

        lock (_lock)
        {
            _users.TryGetValue(canonical, out var user);
            if (user is not null && user.Connections.Count >= _options.MaxTabsPerUser)
            {
                return new ConnectResult(ConnectStatus.TooManyTabs);
            }

            if (clientAddress is not null && _options.MaxTabsPerAddress > 0
                && _tabsByAddress.TryGetValue(clientAddress, out var fromAddress) && fromAddress >= _options.MaxTabsPerAddress)
            {
                return new ConnectResult(ConnectStatus.TooManyTabsFromAddress);
            }

            if (user is null)
            {
                user = new UserState(canonical);
                _users.Add(canonical, user);
            }

            var connection = new ChatConnection(this, canonical, sessionId, clientAddress, onEvent, _logger);
            user.Connections.Add(connection);
            _connectionCount++;
            if (clientAddress is not null)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(_tabsByAddress, clientAddress, out _)++;
            }

            CancelDepartureLocked(user);

            var cameOnline = !user.Online;
            SetOnlineLocked(user, true);
            connection.Initial = BuildSnapshotLocked(user);
            PostCallToNewTabLocked(user, connection);
            if (cameOnline)
            {
                BroadcastPresenceLocked(user);
            }

            return new ConnectResult(ConnectStatus.Connected, connection);
        }
    }

    /// <summary>
    /// Closes every tab of one sign-in (all of the user's, when <paramref name="sessionId"/> is null) and tells
    /// them so. If that leaves the user with no tab, they leave at once: no grace, their chat ends.
    /// </summary>
    public void SignOut(string userName, string? sessionId)
    {
        Effects effects = new();
        lock (_lock)
        {
            if (!_users.TryGetValue(userName, out var user))
            {
                return;
            }

            foreach (var connection in user.Connections)
            {
                if (sessionId is null || string.Equals(connection.SessionId, sessionId, StringComparison.Ordinal))
                {
                    connection.Post(new SignedOut());
                    ReleaseLocked(connection);
                    connection.Complete();
                }
            }

            user.Connections.RemoveAll(static c => !c.IsAttached);
            if (user.Connections.Count > 0)
            {
                // Other sign-ins stay; if none of their tabs is reachable, the usual grace applies.
                ScheduleDepartureIfUnreachableLocked(user, ref effects);
            }
            else
            {
                CancelDepartureLocked(user);
                if (user.Online)
                {
                    DepartLocked(user, ref effects);
                }

                _users.Remove(user.Name);
            }
        }

        effects.Log(_logger);
    }

    internal PickResult Pick(ChatConnection connection, string peer)
    {
        if (!_accounts.TryGetUserName(peer, out var peerName))
        {
            return PickResult.UnknownUser;
        }

        Effects effects = new();
        PickResult result;
        lock (_lock)
        {
            result = PickLocked(connection, peerName, ref effects);
        }

        effects.Log(_logger);
        return result;
    }

    private PickResult PickLocked(ChatConnection connection, string peerName, ref Effects effects)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        var user = UserOfLocked(connection);
        // A user who has left (every tab unreachable past the grace) must not pick: nothing would withdraw it,
        // and a pairing with them would outlive their last tab.
        if (user is null || !user.Online)
        {
            return PickResult.Disconnected;
        }

        if (Names.Equals(peerName, user.Name))
        {
            return PickResult.CannotPickSelf;
        }

        if (user.Conversation is not null)
        {
            return PickResult.AlreadyInChat;
        }

        if (IsBlockingLocked(user.Name, peerName))
        {
            return PickResult.Blocked;
        }

        if (Names.Equals(user.Pick, peerName))
        {
            return PickResult.Waiting;
        }

        var answers = _users.TryGetValue(peerName, out var peer) && peer.Online && peer.Conversation is null
            && Names.Equals(peer.Pick, user.Name) && !IsHiddenLocked(user.Name, peerName);

        // Each request tells the person picked and redraws every open people list: a script must not flood them.
        // Answering a request is never refused: it pairs the two, which ends both requests.
        var picksPerMinute = _options.MaxPicksPerMinute;
        if (!answers && !user.Picks.TryTake(_time, picksPerMinute, picksPerMinute / 60.0))
        {
            return PickResult.TooFast;
        }

        WithdrawPickLocked(user);
        user.Pick = peerName;
        StartPickExpiryLocked(user);

        if (answers && peer is not null)
        {
            StartConversationLocked(peer, user, ref effects);
            return PickResult.Paired;
        }

        PostToUserLocked(user, new PickChanged(peerName, user.PickExpiresAt));

        // Someone who blocked the picker never hears of it: to the picker, the request stands as to someone offline.
        if (peer is not null && !IsHiddenLocked(user.Name, peerName))
        {
            PostToUserLocked(peer, new ChatRequestReceived(user.Name));
        }

        BroadcastPresenceLocked(user);
        return PickResult.Waiting;
    }

    private void StartConversationLocked(UserState first, UserState second, ref Effects effects)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        var conversation = new Conversation(++_lastConversationId, first, second, _time.GetUtcNow());
        first.Pick = null;
        second.Pick = null;
        CancelPickExpiryLocked(first);
        CancelPickExpiryLocked(second);
        first.Conversation = conversation;
        second.Conversation = conversation;
        PostToUserLocked(first, new ChatStarted(conversation.Id, second.Name, conversation.StartedAt));
        PostToUserLocked(second, new ChatStarted(conversation.Id, first.Name, conversation.StartedAt));
        BroadcastPresenceLocked(first);
        BroadcastPresenceLocked(second);
        effects.Paired = (first.Name, second.Name, conversation.Id);
    }

    private void WithdrawPickLocked(UserState user, bool expired = false)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        if (user.Pick is not { } previous)
        {
            return;
        }

        user.Pick = null;
        CancelPickExpiryLocked(user);
        if (_users.TryGetValue(previous, out var target) && !IsHiddenLocked(user.Name, target.Name))
        {
            PostToUserLocked(target, expired ? new ChatRequestExpired(user.Name) : new ChatRequestWithdrawn(user.Name));
        }
    }

    internal bool Withdraw(ChatConnection connection, string? peer)
    {
        lock (_lock)
        {
            var user = UserOfLocked(connection);
            if (user?.Pick is not { } pick || (peer is not null && !Names.Equals(pick, peer)))
            {
                return false;
            }

            WithdrawPickLocked(user);
            PostToUserLocked(user, new PickChanged(null));
            BroadcastPresenceLocked(user);
            return true;
        }
    }

    internal SendResult Send(ChatConnection connection, string text, long? conversationId)
    {
        var clean = MessageText.Sanitize(text);
        if (MessageText.IsEndCommand(clean))
        {
            return new SendResult(EndChat(connection, conversationId));
        }

        // Judged before the lock (counting is linear in the text); the raw bound stops a few "characters" made of
        // thousands of combining marks without counting them.
        var tooLong = clean.Length > MaxMessageUnits || MessageText.IsLongerThan(clean, _options.MaxMessageLength);
        var showsNothing = !tooLong && MessageText.ShowsNothing(clean);

        lock (_lock)
        {
            var user = UserOfLocked(connection);
            if (user is null)
            {
                return new SendResult(SendStatus.Disconnected);
            }

            // Every send takes from the allowance, refused or not: a refusal costs the server too.
            if (!user.Sends.TryTake(_time, _options.MaxMessagesPerSecond, _options.MaxMessagesPerSecond))
            {
                return new SendResult(SendStatus.TooFast);
            }

            // A tab that still shows a chat which has ended sends nothing, even if another chat has begun since.
            var conversation = user.Conversation;
            if (conversation is null || (conversationId is { } shown && shown != conversation.Id))
            {
                return new SendResult(SendStatus.NotInChat);
            }

            if (tooLong)
            {
                return new SendResult(SendStatus.TooLong);
            }

            if (showsNothing)
            {
                return new SendResult(SendStatus.Ignored);
            }

            var message = new ChatMessage(++conversation.LastSequence, user.Name, clean, _time.GetUtcNow());
            conversation.Add(message, _options.TranscriptLimit, _options.TranscriptBytes);
            TypingEndedBySendLocked(user);

            // The partner's tabs are handed the message first: it is theirs to receive, while the sending tab
            // has drawn it with the send (its other tabs come next; each tab's own order is all that is kept).
            var delivered = new MessageReceived(conversation.Id, message);
            PostToUserLocked(conversation.PartnerOf(user), delivered);
            PostToUserLocked(user, delivered);
            Interlocked.Increment(ref _messagesDelivered);
            return new SendResult(SendStatus.Delivered, message);
        }
    }

    internal bool End(ChatConnection connection, long? conversationId) => EndChat(connection, conversationId) == SendStatus.Ended;

    // Decides and ends in one critical section: Ended, or why nothing ended (NotInChat, Disconnected).
    private SendStatus EndChat(ChatConnection connection, long? conversationId)
    {
        Effects effects = new();
        lock (_lock)
        {
            var user = UserOfLocked(connection);
            if (user is null)
            {
                return SendStatus.Disconnected;
            }

            if (user.Conversation is not { } conversation || (conversationId is { } shown && shown != conversation.Id))
            {
                return SendStatus.NotInChat;
            }

            EndConversationLocked(conversation, user, ChatEndReason.Ended, ref effects);
        }

        effects.Log(_logger);
        return SendStatus.Ended;
    }

    private void EndConversationLocked(Conversation conversation, UserState endedBy, ChatEndReason reason, ref Effects effects)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        EndCallsOfConversationLocked(conversation, endedBy);
        TypingEndedWithChatLocked(conversation);
        foreach (var user in (ReadOnlySpan<UserState>)[conversation.First, conversation.Second])
        {
            user.Conversation = null;
            PostToUserLocked(user, new ChatEnded(conversation.Id, conversation.PartnerOf(user).Name, endedBy.Name, reason));
        }

        RemoveFilesLocked(conversation, ref effects);

        foreach (var user in (ReadOnlySpan<UserState>)[conversation.First, conversation.Second])
        {
            if (user.Online)
            {
                BroadcastPresenceLocked(user);
            }
        }

        effects.Ended = (conversation.Id, endedBy.Name, reason);
    }

    internal ChatSnapshot GetSnapshot(ChatConnection connection)
    {
        lock (_lock)
        {
            var user = UserOfLocked(connection);
            return user is null
                ? new ChatSnapshot(connection.UserName, null, [], null)
                : BuildSnapshotLocked(user);
        }
    }

    private ChatSnapshot BuildSnapshotLocked(UserState user)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        List<string> incoming = [];
        foreach (var other in _users.Values)
        {
            if (Names.Equals(other.Pick, user.Name) && !IsHiddenLocked(user.Name, other.Name))
            {
                incoming.Add(other.Name);
            }
        }

        var conversation = user.Conversation is { } c
            ? new ConversationSnapshot(c.Id, c.PartnerOf(user).Name, c.StartedAt, [.. c.Messages], ShownSeenLocked(c, c.PartnerOf(user)))
            : null;
        return new ChatSnapshot(user.Name, user.Pick, incoming, conversation, user.PickExpiresAt);
    }

    /// <summary>A person's status as others see it (offline when unknown or gone).</summary>
    internal PresenceStatus StatusOf(string userName)
    {
        lock (_lock)
        {
            return _users.TryGetValue(userName, out var user) ? StatusOfLocked(user) : PresenceStatus.Offline;
        }
    }

    private PresenceStatus StatusOfLocked(UserState user)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        return user switch
        {
            { Online: false } => PresenceStatus.Offline,
            { Conversation: not null } => PresenceStatus.InChat,
            { Pick: not null } => PresenceStatus.Waiting,
            _ => PresenceStatus.Online,
        };
    }

    private UserState? UserOfLocked(ChatConnection connection)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        return connection.IsAttached && _users.TryGetValue(connection.UserName, out var user) ? user : null;
    }

    /// <summary>
    /// Tells everyone else that the list of people changed. Each tab holds at most one such notice at a
    /// time and reads the list when it gets it, so a crowd coming online costs each tab one read, not one
    /// event per person. A user's own tabs do not show their own status.
    /// </summary>
    private void BroadcastPresenceLocked(UserState user)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        foreach (var other in _users.Values)
        {
            if (other != user)
            {
                foreach (var connection in other.Connections)
                {
                    connection.PostPeopleChanged();
                }
            }
        }
    }

    private void SetOnlineLocked(UserState user, bool online)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        user.Online = online;
        if (online)
        {
            _online.Add(user.Name);
        }
        else
        {
            _online.Remove(user.Name);
        }
    }

    private void PostToUserLocked(UserState user, ChatEvent chatEvent)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        foreach (var connection in user.Connections)
        {
            connection.Post(chatEvent);
        }
    }
}
