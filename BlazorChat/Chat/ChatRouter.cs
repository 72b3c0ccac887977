using System.Buffers;
using System.Globalization;
using System.Text;
using BlazorChat.Accounts;
using BlazorChat.Data;
using Microsoft.Extensions.Options;

namespace BlazorChat.Chat;

/// <summary>
/// Pairs users who picked each other and forwards each message to the pair only. The one singleton with
/// mutable state: plain collections behind one lock. Under the lock it only decides and queues events on
/// the connections concerned (see <see cref="ChatConnection.Post"/>); it never awaits, logs or runs
/// subscriber code there.
/// </summary>
public sealed class ChatRouter
{
    public const string EndCommand = "@end";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, UserState> _users = new(UserNames.Comparer);

    // Who is online, in display order, so a tab can show the first few without looking at everyone.
    private readonly SortedSet<string> _online = new(StringComparer.OrdinalIgnoreCase);
    private readonly AccountDirectory _accounts;
    private readonly ChatOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ChatRouter> _logger;
    private long _lastConversationId;
    private int _connectionCount;

    public ChatRouter(AccountDirectory accounts, IOptions<ChatOptions> options, TimeProvider time, ChatMetrics metrics, ILogger<ChatRouter> logger)
    {
        _accounts = accounts;
        _options = options.Value;
        _time = time;
        Metrics = metrics;
        _logger = logger;
    }

    internal ChatMetrics Metrics { get; }

    internal TimeProvider Time => _time;

    public int MaxMessageLength => _options.MaxMessageLength;

    public int MaxTranscriptMessages => _options.TranscriptLimit;

    /// <summary>Longest message in UTF-16 code units (four per allowed character): what the message box accepts.</summary>
    public int MaxMessageUnits => _options.MaxMessageLength * 4;

    /// <summary>Open connections (tabs) across all users.</summary>
    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    /// <summary>
    /// Opens a connection for a signed-in user. The caller must take <paramref name="userName"/> and
    /// <paramref name="sessionId"/> from the authenticated principal, never from anything the browser sent.
    /// </summary>
    public ChatConnection Connect(string userName, Func<ChatEvent, Task> onEvent, string? sessionId = null)
    {
        ArgumentNullException.ThrowIfNull(onEvent);
        if (!_accounts.TryGetUserName(userName, out var canonical))
        {
            throw new ArgumentException($"No account is named '{userName}'.", nameof(userName));
        }

        lock (_lock)
        {
            if (!_users.TryGetValue(canonical, out var user))
            {
                user = new UserState(canonical);
                _users.Add(canonical, user);
            }

            var connection = new ChatConnection(this, canonical, sessionId, onEvent, _logger);
            user.Connections.Add(connection);
            _connectionCount++;
            CancelDeparture(user);

            var cameOnline = !user.Online;
            SetOnline(user, true);
            connection.Initial = BuildSnapshot(user);
            if (cameOnline)
            {
                BroadcastPresence(user);
            }

            return connection;
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
                    connection.IsAttached = false;
                    connection.Complete();
                    _connectionCount--;
                }
            }

            user.Connections.RemoveAll(static c => !c.IsAttached);
            if (user.Connections.Count > 0)
            {
                // Other sign-ins stay; if none of their tabs is reachable, the usual grace applies.
                ScheduleDepartureIfUnreachable(user, ref effects);
            }
            else
            {
                CancelDeparture(user);
                if (user.Online)
                {
                    Depart(user, ref effects);
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

    internal bool Withdraw(ChatConnection connection, string? peer)
    {
        lock (_lock)
        {
            var user = UserOf(connection);
            if (user?.Pick is not { } pick || (peer is not null && !UserNames.Equals(pick, peer)))
            {
                return false;
            }

            WithdrawPick(user);
            PostToUser(user, new PickChanged(null));
            BroadcastPresence(user);
            return true;
        }
    }

    internal SendResult Send(ChatConnection connection, string text, long? conversationId)
    {
        var clean = Sanitize(text);
        if (IsEndCommand(clean))
        {
            return End(connection, conversationId) ? new SendResult(SendStatus.Ended) : new SendResult(NotSentStatus(connection));
        }

        if (ShowsNothing(clean))
        {
            return new SendResult(SendStatus.Ignored);
        }

        // Text elements are what a reader counts; the raw bound stops a few "characters" made of
        // thousands of combining marks.
        if (clean.Length > MaxMessageUnits || IsLongerThan(clean, _options.MaxMessageLength))
        {
            return new SendResult(SendStatus.TooLong);
        }

        lock (_lock)
        {
            var user = UserOf(connection);
            if (user is null)
            {
                return new SendResult(SendStatus.Disconnected);
            }

            // A tab that still shows a chat which has ended sends nothing, even if another chat has begun since.
            var conversation = user.Conversation;
            if (conversation is null || (conversationId is { } shown && shown != conversation.Id))
            {
                return new SendResult(SendStatus.NotInChat);
            }

            if (!user.Sends.TryTake(_time, _options.MaxMessagesPerSecond, _options.MaxMessagesPerSecond))
            {
                return new SendResult(SendStatus.TooFast);
            }

            var message = new ChatMessage(++conversation.LastSequence, user.Name, clean, _time.GetUtcNow());
            // A queue, not a list: dropping the oldest of a full transcript is O(1), not a shift of every message.
            conversation.Messages.Enqueue(message);
            if (conversation.Messages.Count > _options.TranscriptLimit)
            {
                conversation.Messages.Dequeue();
            }

            // The partner's tabs are handed the message first: it is theirs to receive, while the sending tab
            // has drawn it with the send (its other tabs come next; each tab's own order is all that is kept).
            var delivered = new MessageReceived(conversation.Id, message);
            PostToUser(conversation.PartnerOf(user), delivered);
            PostToUser(user, delivered);
            return new SendResult(SendStatus.Delivered, message);
        }
    }

    internal bool End(ChatConnection connection, long? conversationId)
    {
        Effects effects = new();
        lock (_lock)
        {
            var user = UserOf(connection);
            if (user?.Conversation is not { } conversation || (conversationId is { } shown && shown != conversation.Id))
            {
                return false;
            }

            EndConversation(conversation, user, ChatEndReason.Ended, ref effects);
        }

        effects.Log(_logger);
        return true;
    }

    internal ChatSnapshot GetSnapshot(ChatConnection connection)
    {
        lock (_lock)
        {
            var user = UserOf(connection);
            return user is null
                ? new ChatSnapshot(connection.UserName, null, [], null)
                : BuildSnapshot(user);
        }
    }

    /// <summary>
    /// One screenful of the people <paramref name="connection"/>'s user may pick: online people first, then
    /// offline, alphabetical within each, leaving out the user; only names containing
    /// <paramref name="filter"/> (ignoring case) when one is given. Costs O(<paramref name="limit"/>) without a
    /// filter however many accounts exist, so a tab never holds or walks the whole directory.
    /// </summary>
    internal PeoplePage FindPeople(ChatConnection connection, string? filter, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        filter = string.IsNullOrWhiteSpace(filter) ? null : filter.Trim();
        return filter is null ? FindEveryone(connection.UserName, limit) : FindMatching(connection.UserName, filter, limit);
    }

    private PeoplePage FindEveryone(string me, int limit)
    {
        var accounts = _accounts.UserNames;
        List<PersonStatus> people = new(Math.Min(limit, accounts.Count));
        lock (_lock)
        {
            foreach (var name in _online)
            {
                if (people.Count == limit)
                {
                    break;
                }

                if (!IsMe(name, me))
                {
                    people.Add(new PersonStatus(name, StatusOf(_users[name])));
                }
            }

            // Walk the offline names only as far as the page needs.
            for (var i = 0; i < accounts.Count && people.Count < limit; i++)
            {
                if (!IsOnlineLocked(accounts[i]) && !IsMe(accounts[i], me))
                {
                    people.Add(new PersonStatus(accounts[i], PresenceStatus.Offline));
                }
            }
        }

        return new PeoplePage(people, accounts.Count - (_accounts.TryGetUserName(me, out _) ? 1 : 0));
    }

    // A search tests every account's name, so it does that before taking the lock: the directory is an immutable
    // snapshot (signed-in users are all in it). Under the lock it only looks up the presence of the matches, or
    // walks the online names if they are fewer, and stops once the page is full.
    private PeoplePage FindMatching(string me, string filter, int limit)
    {
        var accounts = _accounts.UserNames;
        var matches = ArrayPool<string>.Shared.Rent(accounts.Count);
        var count = 0;
        try
        {
            foreach (var name in accounts)
            {
                if (IsMatch(name, me, filter))
                {
                    matches[count++] = name;
                }
            }

            List<PersonStatus> people = new(Math.Min(limit, count));
            lock (_lock)
            {
                if (_online.Count < count)
                {
                    foreach (var name in _online)
                    {
                        if (people.Count == limit)
                        {
                            break;
                        }

                        if (IsMatch(name, me, filter))
                        {
                            people.Add(new PersonStatus(name, StatusOf(_users[name])));
                        }
                    }
                }
                else
                {
                    for (var i = 0; i < count && people.Count < limit; i++)
                    {
                        if (_users.TryGetValue(matches[i], out var user) && user.Online)
                        {
                            people.Add(new PersonStatus(matches[i], StatusOf(user)));
                        }
                    }
                }

                for (var i = 0; i < count && people.Count < limit; i++)
                {
                    if (!IsOnlineLocked(matches[i]))
                    {
                        people.Add(new PersonStatus(matches[i], PresenceStatus.Offline));
                    }
                }
            }

            return new PeoplePage(people, count);
        }
        finally
        {
            Array.Clear(matches, 0, count);
            ArrayPool<string>.Shared.Return(matches);
        }
    }

    // Under the lock: the same as _online.Contains(name), which FindInvariantViolations checks.
    private bool IsOnlineLocked(string name) => _users.TryGetValue(name, out var user) && user.Online;

    private static bool IsMe(string name, string me) => UserNames.Equals(name, me);

    private static bool IsMatch(string name, string me, string filter) =>
        !IsMe(name, me) && name.Contains(filter, StringComparison.OrdinalIgnoreCase);

    /// <summary>A person's status as others see it (offline when unknown or gone).</summary>
    internal PresenceStatus StatusOf(string userName)
    {
        lock (_lock)
        {
            return _users.TryGetValue(userName, out var user) ? StatusOf(user) : PresenceStatus.Offline;
        }
    }

    internal void SetReachable(ChatConnection connection, bool reachable)
    {
        Effects effects = new();
        lock (_lock)
        {
            var user = UserOf(connection);
            if (user is null || connection.IsReachable == reachable)
            {
                return;
            }

            connection.IsReachable = reachable;
            if (!reachable)
            {
                ScheduleDepartureIfUnreachable(user, ref effects);
            }
            else
            {
                CancelDeparture(user);
                if (!user.Online)
                {
                    SetOnline(user, true);
                    BroadcastPresence(user);
                }
            }
        }

        effects.Log(_logger);
    }

    internal void Detach(ChatConnection connection)
    {
        Effects effects = new();
        lock (_lock)
        {
            var user = UserOf(connection);
            if (user is null)
            {
                return;
            }

            user.Connections.Remove(connection);
            connection.IsAttached = false;
            _connectionCount--;
            if (user.Connections.Count == 0 && user.DepartureTimer is not null
                && user.DepartureDueAt - _time.GetUtcNow() > _options.LeaveGrace)
            {
                // The last tab closed while a dropped connection's grace ran (Blazor reports a closing circuit
                // as connection-down first): it is a leave now, so the shorter leave grace applies.
                CancelDeparture(user);
            }

            ScheduleDepartureIfUnreachable(user, ref effects);
            if (!user.Online && user.Connections.Count == 0)
            {
                _users.Remove(user.Name);
            }
        }

        effects.Log(_logger);
    }

    /// <summary>Every way the router's state is inconsistent right now; empty when all is well. For tests.</summary>
    internal IReadOnlyList<string> FindInvariantViolations()
    {
        List<string> violations = [];
        lock (_lock)
        {
            var connections = 0;
            var online = 0;
            foreach (var (name, user) in _users)
            {
                connections += user.Connections.Count;
                online += user.Online ? 1 : 0;
                if (user.Online != _online.Contains(name))
                {
                    violations.Add($"{name} is {(user.Online ? "online" : "offline")} but the online list says otherwise");
                }

                if (!string.Equals(name, user.Name, StringComparison.Ordinal))
                {
                    violations.Add($"{name} is filed under another name ({user.Name})");
                }

                if (!user.Online && user.Connections.Count == 0)
                {
                    violations.Add($"{name} has no connections and is offline but still holds state");
                }

                if (!user.Online && (user.Pick is not null || user.Conversation is not null))
                {
                    violations.Add($"{name} is offline but holds a pick or a conversation");
                }

                if (user.Pick is not null && user.Conversation is not null)
                {
                    violations.Add($"{name} both waits for {user.Pick} and chats");
                }

                if (UserNames.Equals(user.Pick, name))
                {
                    violations.Add($"{name} picked themselves");
                }

                if (user.Conversation is { } c)
                {
                    if (c.First != user && c.Second != user)
                    {
                        violations.Add($"{name} holds a conversation they are not part of");
                    }

                    var partner = c.PartnerOf(user);
                    if (partner.Conversation != c)
                    {
                        violations.Add($"{name}'s partner {partner.Name} is not in the same conversation");
                    }

                    if (!_users.TryGetValue(partner.Name, out var filed) || filed != partner)
                    {
                        violations.Add($"{name}'s partner {partner.Name} is not a tracked user");
                    }

                    if (c.First == c.Second)
                    {
                        violations.Add($"{name} is chatting with themselves");
                    }
                }

                if (user.Pick is { } pick && _users.TryGetValue(pick, out var picked) && picked.Online
                    && picked.Conversation is null
                    && UserNames.Equals(picked.Pick, name))
                {
                    violations.Add($"{name} and {pick} picked each other but are not paired");
                }
            }

            if (connections != _connectionCount)
            {
                violations.Add($"connection count {_connectionCount} does not match {connections} attached connections");
            }

            if (online != _online.Count)
            {
                violations.Add($"the online list has {_online.Count} names for {online} online users");
            }
        }

        return violations;
    }

    /// <summary>
    /// How many tabs, users, chats and waiting picks there are, read together under the lock. For diagnostics:
    /// one pass over the users, no allocation.
    /// </summary>
    public RouterCounts GetCounts()
    {
        lock (_lock)
        {
            int online = 0, reachable = 0, chatting = 0, waiting = 0;
            foreach (var user in _users.Values)
            {
                if (user.Online)
                {
                    online++;
                }

                if (user.Connections.Exists(static c => c.IsReachable))
                {
                    reachable++;
                }

                if (user.Conversation is not null)
                {
                    chatting++;
                }
                else if (user.Pick is not null)
                {
                    waiting++;
                }
            }

            return new RouterCounts(_connectionCount, _users.Count, online, reachable, chatting / 2, waiting);
        }
    }

    /// <summary>How many users the router holds state for. For tests and diagnostics.</summary>
    internal int TrackedUserCount
    {
        get
        {
            lock (_lock)
            {
                return _users.Count;
            }
        }
    }

    internal static bool IsEndCommand(string text)
    {
        if (!text.Contains('@', StringComparison.Ordinal))
        {
            return false;
        }

        Span<char> letters = stackalloc char[EndCommand.Length];
        var count = 0;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                continue;
            }

            if (count == letters.Length)
            {
                return false;
            }

            letters[count++] = c;
        }

        return count == letters.Length && letters.Equals(EndCommand, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// True when the text has nothing a reader would see: only white space, format characters (zero-width spaces and
    /// joiners, byte order marks, direction marks) and control characters. Such a message would be an empty bubble.
    /// </summary>
    internal static bool ShowsNothing(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (!Rune.IsWhiteSpace(rune)
                && (Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Format or UnicodeCategory.Control) || IsDrawnFormat(rune)))
            {
                return false;
            }
        }

        return true;

        // The format characters that are drawn: Unicode's Prepended_Concatenation_Mark (Arabic number signs, the end
        // of an ayah, Syriac and Kaithi marks).
        static bool IsDrawnFormat(Rune rune) =>
            rune.Value is (>= 0x0600 and <= 0x0605) or 0x06DD or 0x070F or 0x0890 or 0x0891 or 0x08E2 or 0x110BD or 0x110CD;
    }

    /// <summary>Removes C0 control characters other than tab and newline; CR LF becomes LF.</summary>
    internal static string Sanitize(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        if (!text.AsSpan().ContainsAnyInRange('\0', '\u001f'))
        {
            return text;
        }

        return string.Create(text.Length - CountRemoved(text), text, static (span, source) =>
        {
            var i = 0;
            foreach (var c in source)
            {
                if (!IsRemovedControl(c))
                {
                    span[i++] = c;
                }
            }
        });

        static int CountRemoved(string s)
        {
            var removed = 0;
            foreach (var c in s)
            {
                if (IsRemovedControl(c))
                {
                    removed++;
                }
            }

            return removed;
        }

        static bool IsRemovedControl(char c) => c < '\u0020' && c != '\n' && c != '\t';
    }

    /// <summary>True when the text holds more than <paramref name="max"/> text elements (what a reader counts as characters).</summary>
    internal static bool IsLongerThan(string text, int max)
    {
        // Every text element holds at least one UTF-16 unit, so a string this short needs no counting.
        if (text.Length <= max)
        {
            return false;
        }

        var span = text.AsSpan();
        for (var count = 0; count < max; count++)
        {
            span = span[StringInfo.GetNextTextElementLength(span)..];
        }

        return !span.IsEmpty;
    }

    private PickResult PickLocked(ChatConnection connection, string peerName, ref Effects effects)
    {
        var user = UserOf(connection);
        // A user who has left (every tab unreachable past the grace) must not pick: nothing would withdraw it,
        // and a pairing with them would outlive their last tab.
        if (user is null || !user.Online)
        {
            return PickResult.Disconnected;
        }

        if (UserNames.Equals(peerName, user.Name))
        {
            return PickResult.CannotPickSelf;
        }

        if (user.Conversation is not null)
        {
            return PickResult.AlreadyInChat;
        }

        if (string.Equals(user.Pick, peerName, StringComparison.Ordinal))
        {
            return PickResult.Waiting;
        }

        var answers = _users.TryGetValue(peerName, out var peer) && peer.Online && peer.Conversation is null
            && string.Equals(peer.Pick, user.Name, StringComparison.Ordinal);

        // Each request tells the person picked and redraws every open people list: a script must not flood them.
        // Answering a request is never refused: it pairs the two, which ends both requests.
        var picksPerMinute = _options.MaxPicksPerMinute;
        if (!answers && !user.Picks.TryTake(_time, picksPerMinute, picksPerMinute / 60.0))
        {
            return PickResult.TooFast;
        }

        WithdrawPick(user);
        user.Pick = peerName;

        if (answers && peer is not null)
        {
            StartConversation(peer, user, ref effects);
            return PickResult.Paired;
        }

        PostToUser(user, new PickChanged(peerName));
        if (peer is not null)
        {
            PostToUser(peer, new ChatRequestReceived(user.Name));
        }

        BroadcastPresence(user);
        return PickResult.Waiting;
    }

    private void StartConversation(UserState first, UserState second, ref Effects effects)
    {
        var conversation = new Conversation(++_lastConversationId, first, second, _time.GetUtcNow());
        first.Pick = null;
        second.Pick = null;
        first.Conversation = conversation;
        second.Conversation = conversation;
        PostToUser(first, new ChatStarted(conversation.Id, second.Name, conversation.StartedAt));
        PostToUser(second, new ChatStarted(conversation.Id, first.Name, conversation.StartedAt));
        BroadcastPresence(first);
        BroadcastPresence(second);
        effects.Paired = (first.Name, second.Name, conversation.Id);
    }

    private void EndConversation(Conversation conversation, UserState endedBy, ChatEndReason reason, ref Effects effects)
    {
        foreach (var user in (ReadOnlySpan<UserState>)[conversation.First, conversation.Second])
        {
            user.Conversation = null;
            PostToUser(user, new ChatEnded(conversation.Id, conversation.PartnerOf(user).Name, endedBy.Name, reason));
        }

        foreach (var user in (ReadOnlySpan<UserState>)[conversation.First, conversation.Second])
        {
            if (user.Online)
            {
                BroadcastPresence(user);
            }
        }

        effects.Ended = (conversation.Id, endedBy.Name, reason);
    }

    private void WithdrawPick(UserState user)
    {
        if (user.Pick is not { } previous)
        {
            return;
        }

        user.Pick = null;
        if (_users.TryGetValue(previous, out var target))
        {
            PostToUser(target, new ChatRequestWithdrawn(user.Name));
        }
    }

    private void ScheduleDepartureIfUnreachable(UserState user, ref Effects effects)
    {
        if (!user.Online || user.DepartureTimer is not null || user.Connections.Exists(static c => c.IsReachable))
        {
            return;
        }

        // A closed tab may be a reload: wait briefly. A dropped connection may come back: wait longer.
        var grace = user.Connections.Count == 0 ? _options.LeaveGrace : _options.ReconnectGrace;
        if (grace <= TimeSpan.Zero)
        {
            Depart(user, ref effects);
            return;
        }

        var generation = ++user.DepartureGeneration;
        user.DepartureDueAt = _time.GetUtcNow() + grace;
        user.DepartureTimer = _time.CreateTimer(
            static state => ((DepartureDue)state!).Fire(),
            new DepartureDue(this, user, generation),
            grace,
            Timeout.InfiniteTimeSpan);
    }

    private static void CancelDeparture(UserState user)
    {
        user.DepartureGeneration++;
        user.DepartureTimer?.Dispose();
        user.DepartureTimer = null;
    }

    private void OnDepartureDue(UserState user, long generation)
    {
        Effects effects = new();
        lock (_lock)
        {
            if (user.DepartureGeneration != generation || !_users.TryGetValue(user.Name, out var filed) || filed != user)
            {
                return;
            }

            user.DepartureTimer?.Dispose();
            user.DepartureTimer = null;
            if (!user.Online || user.Connections.Exists(static c => c.IsReachable))
            {
                return;
            }

            Depart(user, ref effects);
            if (user.Connections.Count == 0)
            {
                _users.Remove(user.Name);
            }
        }

        effects.Log(_logger);
    }

    private void Depart(UserState user, ref Effects effects)
    {
        if (user.Pick is not null)
        {
            WithdrawPick(user);
            // The user's tabs may still be open (their browser away, not closed) and come back: they must not go on
            // showing "waiting for" a request that no longer stands, which their Withdraw could no longer cancel.
            PostToUser(user, new PickChanged(null));
        }

        if (user.Conversation is { } conversation)
        {
            EndConversation(conversation, user, ChatEndReason.Left, ref effects);
        }

        SetOnline(user, false);
        BroadcastPresence(user);
        effects.Departed = user.Name;
    }

    private UserState? UserOf(ChatConnection connection) =>
        connection.IsAttached && _users.TryGetValue(connection.UserName, out var user) ? user : null;

    private SendStatus NotSentStatus(ChatConnection connection)
    {
        lock (_lock)
        {
            return UserOf(connection) is null ? SendStatus.Disconnected : SendStatus.NotInChat;
        }
    }

    private ChatSnapshot BuildSnapshot(UserState user)
    {
        List<string> incoming = [];
        foreach (var other in _users.Values)
        {
            if (string.Equals(other.Pick, user.Name, StringComparison.Ordinal))
            {
                incoming.Add(other.Name);
            }
        }

        var conversation = user.Conversation is { } c
            ? new ConversationSnapshot(c.Id, c.PartnerOf(user).Name, c.StartedAt, [.. c.Messages])
            : null;
        return new ChatSnapshot(user.Name, user.Pick, incoming, conversation);
    }

    private static PresenceStatus StatusOf(UserState user) => user switch
    {
        { Online: false } => PresenceStatus.Offline,
        { Conversation: not null } => PresenceStatus.InChat,
        { Pick: not null } => PresenceStatus.Waiting,
        _ => PresenceStatus.Online,
    };

    /// <summary>
    /// Tells everyone else that the list of people changed. Each tab holds at most one such notice at a
    /// time and reads the list when it gets it, so a crowd coming online costs each tab one read, not one
    /// event per person. A user's own tabs do not show their own status.
    /// </summary>
    private void BroadcastPresence(UserState user)
    {
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

    private void SetOnline(UserState user, bool online)
    {
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

    private static void PostToUser(UserState user, ChatEvent chatEvent)
    {
        foreach (var connection in user.Connections)
        {
            connection.Post(chatEvent);
        }
    }

    private sealed class UserState(string name)
    {
        public string Name { get; } = name;

        public List<ChatConnection> Connections { get; } = [];

        /// <summary>True from the first connection until the user departs (grace over, or signed out).</summary>
        public bool Online { get; set; }

        public string? Pick { get; set; }

        public Conversation? Conversation { get; set; }

        public ITimer? DepartureTimer { get; set; }

        public DateTimeOffset DepartureDueAt { get; set; }

        public long DepartureGeneration { get; set; }

        // Fields, not properties: a bucket is changed in place.
        public TokenBucket Sends;

        public TokenBucket Picks;
    }

    /// <summary>
    /// A token bucket: starts full at its capacity, refills continuously at its rate, and each action takes one
    /// token. A capacity of 0 or less means no limit.
    /// </summary>
    private struct TokenBucket
    {
        private double _tokens;
        private long _refilledAt;   // TimeProvider timestamp; 0 before the first action

        public bool TryTake(TimeProvider time, double capacity, double perSecond)
        {
            if (capacity <= 0)
            {
                return true;
            }

            var now = time.GetTimestamp();
            _tokens = _refilledAt == 0
                ? capacity
                : Math.Min(capacity, _tokens + (time.GetElapsedTime(_refilledAt, now).TotalSeconds * perSecond));
            _refilledAt = now;
            if (_tokens < 1)
            {
                return false;
            }

            _tokens--;
            return true;
        }
    }

    private sealed class Conversation(long id, UserState first, UserState second, DateTimeOffset startedAt)
    {
        public long Id { get; } = id;

        public UserState First { get; } = first;

        public UserState Second { get; } = second;

        public DateTimeOffset StartedAt { get; } = startedAt;

        public Queue<ChatMessage> Messages { get; } = new();

        public long LastSequence { get; set; }

        public UserState PartnerOf(UserState user) => user == First ? Second : First;
    }

    private sealed record DepartureDue(ChatRouter Router, UserState User, long Generation)
    {
        public void Fire() => Router.OnDepartureDue(User, Generation);
    }

    /// <summary>
    /// What an operation did, gathered under the lock and logged after it is released. A struct on the
    /// caller's stack, so an operation that logs nothing allocates nothing for it.
    /// </summary>
    private struct Effects
    {
        public (string First, string Second, long ConversationId)? Paired { get; set; }

        public (long ConversationId, string By, ChatEndReason Reason)? Ended { get; set; }

        public string? Departed { get; set; }

        public readonly void Log(ILogger logger)
        {
            if (Paired is { } p)
            {
                ChatLog.Paired(logger, p.First, p.Second, p.ConversationId);
            }

            if (Ended is { } e)
            {
                ChatLog.Ended(logger, e.ConversationId, e.By, e.Reason);
            }

            if (Departed is { } d)
            {
                ChatLog.Departed(logger, d);
            }
        }
    }
}
