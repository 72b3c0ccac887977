using System.Globalization;
using BlazorChat.Chat;

namespace BlazorChat.Tests.Chat;

/// <summary>
/// A plain single-threaded reference model of what the router promises: who is online, who picked whom, who
/// is paired, and which messages each tab must receive. It shares no code with the router; the property tests
/// drive both with the same operations and compare them after every step.
/// </summary>
internal sealed class ChatRouterModel
{
    private readonly Dictionary<string, ModelUser> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<ModelTab> _tabs = [];
    private readonly HashSet<(string Blocker, string Blocked)> _blocks = [];
    private readonly ChatOptions _options;
    private long _lastConversationId;
    private long _lastTimerOrder;
    private TimeSpan _now;

    public ChatRouterModel(IEnumerable<string> userNames, ChatOptions options)
    {
        _options = options;
        foreach (var name in userNames)
        {
            _users.Add(name, new ModelUser(name));
        }
    }

    public IReadOnlyList<ModelTab> Tabs => _tabs;

    public int ConnectionCount => _tabs.Count(t => t.Attached);

    /// <summary>Users the router must hold state for: those with a tab, or still online in their leave grace.</summary>
    public IEnumerable<ModelUser> TrackedUsers => _users.Values.Where(u => u.Online || u.Tabs.Count > 0);

    public ModelUser User(string name) => _users[name];

    public IEnumerable<ModelUser> UsersWhoPicked(ModelUser user) => TrackedUsers.Where(u => u.Pick == user.Name && !Hidden(user, u));

    /// <summary>A block either way: neither sees the other, nor their requests, and they never pair.</summary>
    public bool Hidden(ModelUser one, ModelUser other) => _blocks.Contains((one.Name, other.Name)) || _blocks.Contains((other.Name, one.Name));

    /// <summary>The blocker's chat with them ends, the blocker's request to them is withdrawn; theirs stands, unseen.</summary>
    public void Block(string blocker, string blocked)
    {
        if (!_blocks.Add((blocker, blocked)))
        {
            return;
        }

        var user = _users[blocker];
        if (user.Conversation is { } conversation && (conversation.First.Name == blocked || conversation.Second.Name == blocked))
        {
            conversation.First.Conversation = null;
            conversation.Second.Conversation = null;
        }

        if (user.Pick == blocked)
        {
            user.Pick = null;
            user.PickDue = null;
        }
    }

    public void Unblock(string blocker, string blocked) => _blocks.Remove((blocker, blocked));

    public ModelTab Connect(string userName, string session)
    {
        var user = _users[userName];
        if (!user.Online && user.Tabs.Count == 0)
        {
            // The router holds nothing for this user yet: they start afresh, with a full send allowance.
            user.SendTokensAt = null;
        }

        var tab = new ModelTab(_tabs.Count, user, session);
        _tabs.Add(tab);
        user.Tabs.Add(tab);
        user.DepartureDue = null;
        user.Online = true;
        return tab;
    }

    public void Dispose(ModelTab tab)
    {
        if (tab.Disposed)
        {
            return;
        }

        tab.Disposed = true;
        if (tab.Attached)
        {
            Detach(tab);
            if (tab.User.Tabs.Count == 0 && tab.User.DepartureDue - _now > _options.LeaveGrace)
            {
                // Closing the last tab is leaving: a dropped connection's longer grace gives way to the leave grace.
                tab.User.DepartureDue = null;
            }

            DepartIfNothingReachable(tab.User);
        }
    }

    public PickResult Pick(ModelTab tab, string peer)
    {
        if (!_users.TryGetValue(peer, out var target))
        {
            return PickResult.UnknownUser;
        }

        var user = tab.User;
        // A user who has left (every tab unreachable, grace over) is gone for everyone else: they cannot pick.
        if (!tab.Attached || !user.Online)
        {
            return PickResult.Disconnected;
        }

        if (target == user)
        {
            return PickResult.CannotPickSelf;
        }

        if (user.Conversation is not null)
        {
            return PickResult.AlreadyInChat;
        }

        if (_blocks.Contains((user.Name, target.Name)))
        {
            return PickResult.Blocked;
        }

        if (user.Pick == target.Name)
        {
            return PickResult.Waiting;
        }

        user.Pick = target.Name;
        user.PickDue = _options.PickExpiry > TimeSpan.Zero ? _now + _options.PickExpiry : null;
        user.PickTimerOrder = ++_lastTimerOrder;
        if (target.Online && target.Conversation is null && target.Pick == user.Name && !Hidden(user, target))
        {
            var conversation = new ModelConversation(++_lastConversationId, target, user);
            user.Pick = null;
            target.Pick = null;
            user.PickDue = null;
            target.PickDue = null;
            user.Conversation = conversation;
            target.Conversation = conversation;
            return PickResult.Paired;
        }

        return PickResult.Waiting;
    }

    public bool Withdraw(ModelTab tab)
    {
        if (!tab.Attached || tab.User.Pick is null)
        {
            return false;
        }

        tab.User.Pick = null;
        tab.User.PickDue = null;
        return true;
    }

    public SendStatus Send(ModelTab tab, string text)
    {
        var clean = new string([.. text.Where(c => c >= ' ' || c is '\n' or '\t')]);
        var letters = new string([.. clean.Where(c => !char.IsWhiteSpace(c))]);
        if (string.Equals(letters, ChatRouter.EndCommand, StringComparison.OrdinalIgnoreCase))
        {
            return End(tab) ? SendStatus.Ended : tab.Attached ? SendStatus.NotInChat : SendStatus.Disconnected;
        }

        if (!tab.Attached)
        {
            return SendStatus.Disconnected;
        }

        // Every send but the end command takes from the allowance, whatever becomes of it.
        if (!TakeSendAllowance(tab.User))
        {
            return SendStatus.TooFast;
        }

        if (tab.User.Conversation is not { } conversation)
        {
            return SendStatus.NotInChat;
        }

        // What a reader counts as characters (a character of more than ten code points counts once more for each one
        // past them), and at most four UTF-16 units for each.
        if (Characters(clean) > _options.MaxMessageLength || clean.Length > 4 * _options.MaxMessageLength)
        {
            return SendStatus.TooLong;
        }

        if (letters.Length == 0)
        {
            return SendStatus.Ignored;
        }

        var message = new ModelMessage(conversation.Id, ++conversation.LastSequence, tab.User.Name, clean);
        conversation.Transcript.Add(message);
        while (conversation.Transcript.Count > 1
            && (conversation.Transcript.Count > _options.TranscriptLimit || conversation.Transcript.Sum(m => m.Text.Length * 2L) > _options.TranscriptBytes))
        {
            conversation.Transcript.RemoveAt(0);
        }

        foreach (var receiver in conversation.First.Tabs.Concat(conversation.Second.Tabs))
        {
            receiver.Expected.Add(message);
        }

        return SendStatus.Delivered;
    }

    public bool End(ModelTab tab)
    {
        if (!tab.Attached || tab.User.Conversation is not { } conversation)
        {
            return false;
        }

        conversation.First.Conversation = null;
        conversation.Second.Conversation = null;
        return true;
    }

    public void SetReachable(ModelTab tab, bool reachable)
    {
        if (!tab.Attached || tab.Reachable == reachable)
        {
            return;
        }

        tab.Reachable = reachable;
        if (reachable)
        {
            tab.User.DepartureDue = null;
            tab.User.Online = true;
        }
        else
        {
            DepartIfNothingReachable(tab.User);
        }
    }

    public void SignOut(string userName, string? session)
    {
        var user = _users[userName];
        foreach (var tab in user.Tabs.Where(t => session is null || t.Session == session).ToList())
        {
            tab.SignedOut = true;
            Detach(tab);
        }

        if (user.Tabs.Count > 0)
        {
            DepartIfNothingReachable(user);
        }
        else
        {
            // Signing out of the last tab leaves at once, whatever grace was running.
            user.DepartureDue = null;
            Depart(user);
        }
    }

    public void Advance(TimeSpan by)
    {
        _now += by;

        // Departures and requests lapsing, in the order the clock fires them: by due time, then by when each was armed.
        while (NextDue() is { } timer)
        {
            var due = timer.User;
            if (timer.IsPick)
            {
                due.PickDue = null;
                due.Pick = null;
                continue;
            }

            due.DepartureDue = null;
            if (due.Online && !due.Tabs.Exists(t => t.Reachable))
            {
                Depart(due);
            }
        }
    }

    private (ModelUser User, bool IsPick)? NextDue()
    {
        (ModelUser User, bool IsPick, TimeSpan Due, long Order)? next = null;
        foreach (var user in _users.Values)
        {
            Consider(user, false, user.DepartureDue, user.TimerOrder);
            Consider(user, true, user.PickDue, user.PickTimerOrder);
        }

        return next is { } n ? (n.User, n.IsPick) : null;

        void Consider(ModelUser user, bool isPick, TimeSpan? due, long order)
        {
            if (due is { } d && d <= _now && (next is not { } n || d < n.Due || (d == n.Due && order < n.Order)))
            {
                next = (user, isPick, d, order);
            }
        }
    }

    /// <summary>What the router's snapshot for this user must say, in a form that compares and prints well.</summary>
    public RouterView ViewOf(ModelUser user)
    {
        var incoming = UsersWhoPicked(user).Select(u => u.Name);
        var presence = TrackedUsers.Where(u => u.Online && u != user && !Hidden(user, u)).Select(u => (u.Name, StatusOf(u)));
        var conversation = user.Conversation;
        return RouterView.Create(
            user.Name,
            user.Pick,
            incoming,
            conversation?.Id,
            conversation is null ? null : (conversation.First == user ? conversation.Second : conversation.First).Name,
            conversation?.Transcript ?? [],
            presence);
    }

    private static PresenceStatus StatusOf(ModelUser user) =>
        user.Conversation is not null ? PresenceStatus.InChat
        : user.Pick is not null ? PresenceStatus.Waiting
        : PresenceStatus.Online;

    /// <summary>A user may send MaxMessagesPerSecond messages at once, and the allowance refills at that rate.</summary>
    private static int Characters(string text)
    {
        var count = 0;
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            count += 1 + Math.Max(0, elements.GetTextElement().EnumerateRunes().Count() - 10);
        }

        return count;
    }

    private bool TakeSendAllowance(ModelUser user)
    {
        var rate = _options.MaxMessagesPerSecond;
        if (rate == 0)
        {
            return true;
        }

        user.SendTokens = user.SendTokensAt is { } at ? Math.Min(rate, user.SendTokens + ((_now - at).TotalSeconds * rate)) : rate;
        user.SendTokensAt = _now;
        if (user.SendTokens < 1)
        {
            return false;
        }

        user.SendTokens--;
        return true;
    }

    private static void Detach(ModelTab tab)
    {
        tab.Attached = false;
        tab.User.Tabs.Remove(tab);
    }

    /// <summary>No reachable tab left: leave after the grace (short for a closed last tab, long for a dropped connection).</summary>
    private void DepartIfNothingReachable(ModelUser user)
    {
        if (!user.Online || user.DepartureDue is not null || user.Tabs.Exists(t => t.Reachable))
        {
            return;
        }

        var grace = user.Tabs.Count == 0 ? _options.LeaveGrace : _options.ReconnectGrace;
        if (grace <= TimeSpan.Zero)
        {
            Depart(user);
            return;
        }

        user.DepartureDue = _now + grace;
        user.TimerOrder = ++_lastTimerOrder;
    }

    private static void Depart(ModelUser user)
    {
        user.Pick = null;
        user.PickDue = null;
        if (user.Conversation is { } conversation)
        {
            conversation.First.Conversation = null;
            conversation.Second.Conversation = null;
        }

        user.Online = false;
    }
}

internal sealed class ModelUser(string name)
{
    public string Name { get; } = name;

    /// <summary>Attached tabs only.</summary>
    public List<ModelTab> Tabs { get; } = [];

    public bool Online { get; set; }

    public string? Pick { get; set; }

    public ModelConversation? Conversation { get; set; }

    public TimeSpan? DepartureDue { get; set; }

    /// <summary>When the standing pick lapses (<see cref="ChatOptions.PickExpiry"/>); null when it never does or there is none.</summary>
    public TimeSpan? PickDue { get; set; }

    public long PickTimerOrder { get; set; }

    public long TimerOrder { get; set; }

    public double SendTokens { get; set; }

    /// <summary>Model time of the last message counted against the allowance; null before the first.</summary>
    public TimeSpan? SendTokensAt { get; set; }
}

internal sealed class ModelTab(int id, ModelUser user, string session)
{
    public int Id { get; } = id;

    public ModelUser User { get; } = user;

    public string Session { get; } = session;

    public bool Attached { get; set; } = true;

    public bool Reachable { get; set; } = true;

    public bool Disposed { get; set; }

    public bool SignedOut { get; set; }

    /// <summary>Every message this tab must receive, in order.</summary>
    public List<ModelMessage> Expected { get; } = [];

    public override string ToString() => $"{User.Name}[tab {Id}]";
}

internal sealed class ModelConversation(long id, ModelUser first, ModelUser second)
{
    public long Id { get; } = id;

    public ModelUser First { get; } = first;

    public ModelUser Second { get; } = second;

    public long LastSequence { get; set; }

    public List<ModelMessage> Transcript { get; } = [];
}

internal sealed record ModelMessage(long ConversationId, long Sequence, string Sender, string Text)
{
    public static ModelMessage From(MessageReceived received) =>
        new(received.ConversationId, received.Message.Sequence, received.Message.Sender, received.Message.Text);

    public override string ToString() => $"#{ConversationId}.{Sequence} {Sender}: {Text}";
}

/// <summary>One user's state as a value: the router's snapshot and the model's prediction, made comparable.</summary>
internal sealed record RouterView(
    string UserName,
    string? Pick,
    string Incoming,
    long? ConversationId,
    string? Partner,
    string Transcript,
    string Presence)
{
    public static RouterView Create(
        string userName,
        string? pick,
        IEnumerable<string> incoming,
        long? conversationId,
        string? partner,
        IEnumerable<ModelMessage> transcript,
        IEnumerable<(string Name, PresenceStatus Status)> presence) =>
        new(
            userName,
            pick,
            string.Join(",", incoming.Order(StringComparer.Ordinal)),
            conversationId,
            partner,
            string.Join(" | ", transcript),
            string.Join(",", presence.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => $"{p.Name}={p.Status}")));

    /// <summary>The router's view: a snapshot, and the people list as that user reads it (online people only).</summary>
    public static RouterView From(ChatSnapshot snapshot, PeoplePage people)
    {
        var conversation = snapshot.Conversation;
        return Create(
            snapshot.UserName,
            snapshot.Pick,
            snapshot.IncomingRequests,
            conversation?.Id,
            conversation?.Partner,
            conversation is null ? [] : conversation.Messages.Select(m => new ModelMessage(conversation.Id, m.Sequence, m.Sender, m.Text)),
            people.People.Where(p => p.Status != PresenceStatus.Offline).Select(p => (p.Name, p.Status)));
    }
}
