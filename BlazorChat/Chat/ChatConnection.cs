using BlazorChat.Calls;

namespace BlazorChat.Chat;

/// <summary>
/// One circuit's (one tab's) handle on the router. Identity is fixed when it is opened; every action goes
/// through it. Events for it are queued in order and delivered on the thread pool, one at a time, so a slow
/// or throwing subscriber delays only itself. Disposing it is idempotent and leaves the chat as the user's
/// last tab closing would.
/// </summary>
public sealed class ChatConnection : IDisposable, IThreadPoolWorkItem
{
    private readonly ChatRouter _router;
    private readonly Func<ChatEvent, Task> _onEvent;
    private readonly ILogger _logger;

    // Nothing waits on an idle tab: delivery is a thread-pool work item queued when the outbox gets its first
    // event, which takes everything queued at once (one lock per batch, so a busy sender under the router's
    // lock rarely meets it) and ends when the outbox is empty. A tab costs two small queues, not a parked pump.
    private readonly Lock _sync = new();
    private Queue<Queued> _outbox = new();       // guarded by _sync
    private Queue<Queued> _taken = new();        // the delivery's own
    private bool _delivering;                    // guarded by _sync
    private bool _closed;                        // guarded by _sync
    private int _disposed;
    private int _peopleChangedQueued;            // 1 from a people-list notice being posted or scheduled until it is delivered
    private long _peopleShownAt;                 // when the last one was delivered (TimeProvider timestamp); 0: never
    private ITimer? _peopleTimer;                // guarded by _sync

    internal ChatConnection(ChatRouter router, string userName, string? sessionId, string? clientAddress, Func<ChatEvent, Task> onEvent, ILogger logger)
    {
        _router = router;
        UserName = userName;
        SessionId = sessionId;
        ClientAddress = clientAddress;
        _onEvent = onEvent;
        _logger = logger;
    }

    public string UserName { get; }

    /// <summary>The sign-in this tab belongs to (from the auth cookie), so signing out closes exactly its tabs.</summary>
    public string? SessionId { get; }

    /// <summary>Where the tab connected from, as counted against the per-address limit; null when not known.</summary>
    internal string? ClientAddress { get; }

    /// <summary>The user's state at the moment this connection opened; events that follow are changes to it.</summary>
    public ChatSnapshot Initial { get; internal set; } = null!;

    public bool IsDisposed => Volatile.Read(ref _disposed) == 1;

    // Router-owned state, read and written only under the router's lock.
    internal bool IsReachable { get; set; } = true;

    internal bool IsAttached { get; set; } = true;

    public PickResult Pick(string peer) => _router.Pick(this, peer);

    /// <summary>
    /// Withdraws the user's standing request; given <paramref name="peer"/> (the request a tab shows), only if that is
    /// still the request, so a tab that has not yet heard of a newer pick (from another tab) cannot cancel it.
    /// </summary>
    public bool Withdraw(string? peer = null) => _router.Withdraw(this, peer);

    /// <summary>
    /// Sends <paramref name="text"/> to the user's partner (or ends the chat, if it is the end command). A tab passes
    /// the chat it shows as <paramref name="conversationId"/>: if that chat has ended, nothing is sent
    /// (<see cref="SendStatus.NotInChat"/>), even if the user has started another since.
    /// </summary>
    public SendResult Send(string text, long? conversationId = null) => _router.Send(this, text, conversationId);

    /// <summary>Ends the user's chat; given <paramref name="conversationId"/>, only if that is still the chat. Returns whether one ended.</summary>
    public bool End(long? conversationId = null) => _router.End(this, conversationId);

    public ChatSnapshot GetSnapshot() => _router.GetSnapshot(this);

    /// <summary>How often a tab may say its person is typing (<see cref="ChatOptions.TypingInterval"/>); zero: never.</summary>
    public TimeSpan TypingInterval => _router.TypingInterval;

    /// <summary>Tells the partner of the chat this tab shows that its person is typing (see <see cref="ChatRouter"/>'s typing).</summary>
    public TypingResult Typing(long conversationId) => _router.Typing(this, conversationId);

    /// <summary>This tab, visible, has shown its chat up to <paramref name="upToSequence"/> (see <see cref="ChatRouter"/>'s seen marks).</summary>
    public SeenResult MarkSeen(long conversationId, long upToSequence) => _router.MarkSeen(this, conversationId, upToSequence);

    /// <summary>Calls the partner of the chat this tab shows (see <see cref="ChatRouter"/>'s calls); while their call rings, answers it.</summary>
    public CallResult StartCall(long conversationId, CallKind kind) => _router.StartCall(this, conversationId, kind);

    public CallResult AcceptCall(long callId) => _router.AcceptCall(this, callId);

    public CallResult DeclineCall(long callId) => _router.DeclineCall(this, callId);

    public CallResult HangUpCall(long callId, CallEndReason reason = CallEndReason.HungUp) => _router.HangUpCall(this, callId, reason);

    /// <summary>Relays signalling to the other end of the call; refused unless this tab is an end of it.</summary>
    public CallResult SignalCall(long callId, CallSignalKind kind, string payload) => _router.SignalCall(this, callId, kind, payload);

    /// <summary>The first <paramref name="limit"/> people this user may pick (see <see cref="ChatRouter"/>), read now.</summary>
    public PeoplePage FindPeople(string? filter, int limit) => _router.FindPeople(this, filter, limit);

    /// <summary>
    /// Whether everything posted to this tab so far has been handed to its subscriber and finished. For tests: a
    /// people-list notice posted while another still waits is merged into it, so a test that wants to see the notice
    /// a change causes waits for this first.
    /// </summary>
    internal bool IsIdle
    {
        get
        {
            lock (_sync)
            {
                return !_delivering && _outbox.Count == 0;
            }
        }
    }

    /// <summary>Someone's status as this user sees it now. For tests; the list reads <see cref="FindPeople"/>.</summary>
    internal PresenceStatus StatusOf(string userName) => _router.StatusOf(UserName, userName);

    /// <summary>Tells the router whether the browser behind this connection can currently be reached.</summary>
    public void SetReachable(bool reachable) => _router.SetReachable(this, reachable);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _router.Detach(this);
        Close();
    }

    // Called under the router's lock: queues the event and, if no delivery is under way, queues one on the
    // thread pool. No subscriber code runs here; doing it under the lock is what makes every connection see
    // events in the order the router decided them.
    internal void Post(ChatEvent chatEvent)
    {
        lock (_sync)
        {
            if (_closed)
            {
                return;
            }

            // Timed only while someone listens to ChatMetrics.DeliveryWait (0: not timed).
            _outbox.Enqueue(new Queued(chatEvent, _router.Metrics.DeliveryWait.Enabled ? _router.Time.GetTimestamp() : 0));
            if (_delivering)
            {
                return;
            }

            _delivering = true;
        }

        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    // Called under the router's lock. At most one PeopleChanged waits in the queue: the subscriber reads the
    // current list when it gets it, so a second notice behind the first would tell it nothing new. And at most one
    // is delivered per PeopleRefreshInterval: a burst of changes (someone picking and withdrawing as fast as allowed,
    // a crowd signing in) redraws each tab's list a few times a second, not once per change, while the notice that
    // comes due at the end of the interval shows the last change.
    internal void PostPeopleChanged()
    {
        if (Interlocked.Exchange(ref _peopleChangedQueued, 1) == 1)
        {
            return;
        }

        var shownAt = Volatile.Read(ref _peopleShownAt);
        var wait = shownAt == 0 ? TimeSpan.Zero : _router.PeopleRefreshInterval - _router.Time.GetElapsedTime(shownAt);
        if (wait <= TimeSpan.Zero)
        {
            Post(PeopleChanged.Instance);
            return;
        }

        lock (_sync)
        {
            if (_closed)
            {
                return;
            }

            // The notice carries nothing but "look again", so posting it from the timer, outside the router's lock and
            // out of order with other events, is safe.
            _peopleTimer ??= _router.Time.CreateTimer(
                static state => ((ChatConnection)state!).Post(PeopleChanged.Instance), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _peopleTimer.Change(wait, Timeout.InfiniteTimeSpan);
        }
    }

    // Called under the router's lock when the router detaches the connection itself (sign-out): what was
    // queued is still delivered, and nothing after it.
    internal void Complete() => Close();

    private void Close()
    {
        lock (_sync)
        {
            _closed = true;
            _peopleTimer?.Dispose();
        }
    }

    void IThreadPoolWorkItem.Execute() => _ = DeliverAsync();

    private async Task DeliverAsync()
    {
        while (true)
        {
            lock (_sync)
            {
                if (IsDisposed || _outbox.Count == 0)
                {
                    _outbox.Clear();
                    _delivering = false;
                    return;
                }

                (_outbox, _taken) = (_taken, _outbox);
            }

            while (!IsDisposed && _taken.TryDequeue(out var queued))
            {
                var chatEvent = queued.Event;
                if (queued.QueuedAt != 0)
                {
                    _router.Metrics.DeliveryWait.Record(_router.Time.GetElapsedTime(queued.QueuedAt).TotalSeconds);
                }

                if (chatEvent is PeopleChanged)
                {
                    // Cleared before the subscriber reads the list: a change from now on queues a new notice, due one
                    // interval after this one.
                    Volatile.Write(ref _peopleShownAt, _router.Time.GetTimestamp());
                    Volatile.Write(ref _peopleChangedQueued, 0);
                }

                try
                {
                    await _onEvent(chatEvent).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    ChatLog.DeliveryFailed(_logger, ex, chatEvent.GetType().Name, UserName);
                }
            }

            _taken.Clear();
        }
    }

    private readonly record struct Queued(ChatEvent Event, long QueuedAt);
}
