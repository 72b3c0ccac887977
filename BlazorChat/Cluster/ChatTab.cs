using BlazorChat.Calls;
using BlazorChat.Chat;
using BlazorChat.Files;

namespace BlazorChat.Cluster;

/// <summary>
/// One circuit's (one tab's) handle on the chat, on whichever instance serves it. Identity is fixed when it is opened;
/// every action is a call to the lobby. Events for it arrive in the order the router decided them and are handed to
/// the page one at a time, on the thread pool, so a slow or throwing page delays only itself. Disposing it is
/// idempotent and leaves the chat as the user's last tab closing would.
/// </summary>
public sealed class ChatTab : IDisposable, IAsyncDisposable, IThreadPoolWorkItem
{
    private readonly ChatSilo _silo;
    private readonly Func<ChatEvent, Task> _onEvent;
    private readonly ILogger _logger;
    private readonly Lock _sync = new();
    private Queue<ChatEvent> _inbox = new();  // guarded by _sync
    private Queue<ChatEvent> _taken = new();  // the delivery's own
    private bool _delivering;                 // guarded by _sync
    private bool _closed;                     // guarded by _sync
    private int _disposed;

    internal ChatTab(ChatSilo silo, TabKey key, string userName, string? sessionId, Func<ChatEvent, Task> onEvent, TimeSpan typingInterval, ILogger logger)
    {
        _silo = silo;
        Key = key;
        UserName = userName;
        SessionId = sessionId;
        _onEvent = onEvent;
        TypingInterval = typingInterval;
        _logger = logger;
    }

    internal TabKey Key { get; }

    public string UserName { get; }

    /// <summary>The sign-in this tab belongs to (from the auth cookie), so signing out closes exactly its tabs.</summary>
    public string? SessionId { get; }

    /// <summary>The user's state when this tab joined; events that follow are changes to it.</summary>
    public ChatSnapshot Initial { get; internal set; } = null!;

    /// <summary>How often the page may say its person is typing (<see cref="ChatOptions.TypingInterval"/>); zero: never.</summary>
    public TimeSpan TypingInterval { get; }

    public bool IsDisposed => Volatile.Read(ref _disposed) == 1;

    private ILobbyGrain Lobby => _silo.Lobby;

    // A closed tab acts no more, even before the lobby has heard that it closed.
    public Task<PickResult> PickAsync(string peer) => IsDisposed ? Task.FromResult(PickResult.Disconnected) : Lobby.Pick(Key, peer);

    /// <summary>Withdraws the standing request; given <paramref name="peer"/> (the request the page shows), only if it still is.</summary>
    public Task<bool> WithdrawAsync(string? peer = null) => IsDisposed ? Task.FromResult(false) : Lobby.Withdraw(Key, peer);

    /// <summary>
    /// Sends <paramref name="text"/> to the partner (or ends the chat, if it is the end command). The page passes the chat
    /// it shows as <paramref name="conversationId"/>: if that chat has ended, nothing is sent.
    /// </summary>
    public Task<SendResult> SendAsync(string text, long? conversationId = null) =>
        IsDisposed ? Task.FromResult(new SendResult(SendStatus.Disconnected)) : Lobby.Send(Key, text, conversationId);

    /// <summary>Ends the chat; given <paramref name="conversationId"/>, only if that is still the chat. Returns whether one ended.</summary>
    public Task<bool> EndAsync(long? conversationId = null) => IsDisposed ? Task.FromResult(false) : Lobby.End(Key, conversationId);

    public async Task<ChatSnapshot> GetSnapshotAsync() =>
        await Lobby.GetSnapshot(Key) ?? new ChatSnapshot(UserName, null, [], null);

    public Task<TypingResult> TypingAsync(long conversationId) => Lobby.Typing(Key, conversationId);

    public Task<SeenResult> MarkSeenAsync(long conversationId, long upToSequence) => Lobby.MarkSeen(Key, conversationId, upToSequence);

    public Task<CallResult> StartCallAsync(long conversationId, CallKind kind) => Lobby.StartCall(Key, conversationId, kind);

    public Task<CallResult> AcceptCallAsync(long callId) => Lobby.AcceptCall(Key, callId);

    public Task<CallResult> DeclineCallAsync(long callId) => Lobby.DeclineCall(Key, callId);

    public Task<CallResult> HangUpCallAsync(long callId, CallEndReason reason = CallEndReason.HungUp) => Lobby.HangUpCall(Key, callId, reason);

    /// <summary>Relays signalling to the other end of the call; refused unless this tab is an end of it.</summary>
    public Task<CallResult> SignalCallAsync(long callId, CallSignalKind kind, string payload) => Lobby.SignalCall(Key, callId, kind, payload);

    /// <summary>The first <paramref name="limit"/> people this user may pick, read now.</summary>
    public async Task<PeoplePage> FindPeopleAsync(string? filter, int limit) =>
        await Lobby.FindPeople(Key, filter, limit) ?? new PeoplePage([], 0);

    /// <summary>The files shared in the chat this tab shows, oldest first.</summary>
    public Task<IReadOnlyList<SharedFile>> SharedFilesAsync(long conversationId) => Lobby.SharedFiles(Key, conversationId);

    /// <summary>Tells the router whether the browser behind this tab can be reached now.</summary>
    public Task SetReachableAsync(bool reachable) => Lobby.SetReachable(Key, reachable);

    /// <summary>Whether everything the router posted to this tab has reached the page and been handled. For tests.</summary>
    internal async Task<bool> IsIdleAsync()
    {
        if (!await Lobby.IsIdle(Key))
        {
            return false;
        }

        lock (_sync)
        {
            return !_delivering && _inbox.Count == 0;
        }
    }

    /// <summary>Closes the tab here at once; the lobby hears of it in the background.</summary>
    public void Dispose() => _ = DisposeAsync().AsTask();

    /// <summary>Closes the tab and returns once the lobby has heard of it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _silo.Forget(this);
        await LeaveAsync();
    }

    internal void Post(ChatEvent chatEvent)
    {
        lock (_sync)
        {
            if (_closed)
            {
                return;
            }

            _inbox.Enqueue(chatEvent);
            if (_delivering)
            {
                return;
            }

            _delivering = true;
        }

        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    internal void Close()
    {
        lock (_sync)
        {
            _closed = true;
        }
    }

    void IThreadPoolWorkItem.Execute() => _ = DeliverAsync();

    private async Task LeaveAsync()
    {
        try
        {
            await Lobby.Leave(Key);
        }
        catch (Exception ex)
        {
            ClusterLog.LeaveFailed(_logger, ex, UserName);
        }
    }

    private async Task DeliverAsync()
    {
        while (true)
        {
            lock (_sync)
            {
                if (IsDisposed || _inbox.Count == 0)
                {
                    _inbox.Clear();
                    _delivering = false;
                    return;
                }

                (_inbox, _taken) = (_taken, _inbox);
            }

            while (!IsDisposed && _taken.TryDequeue(out var chatEvent))
            {
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
}
