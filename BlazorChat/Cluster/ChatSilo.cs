using System.Collections.Concurrent;
using BlazorChat.Chat;

namespace BlazorChat.Cluster;

/// <summary>How the lobby reaches an instance's tabs: one observer per instance, not one per tab.</summary>
public interface IChatSiloObserver : IGrainObserver
{
    /// <summary>Queues <paramref name="chatEvent"/> for the tab numbered <paramref name="tab"/> and returns at once.</summary>
    Task Deliver(long tab, ChatEvent chatEvent);
}

/// <summary>What joining the chat gave a circuit: its tab, or why there is none.</summary>
public readonly record struct JoinResult(ConnectStatus Status, ChatTab? Tab = null);

/// <summary>
/// This instance's side of the chat: opens a <see cref="ChatTab"/> for each circuit in the lobby, wherever in the
/// cluster the lobby runs, and hands the events the lobby sends to the tab they are for. Orleans runs an observer's
/// calls one at a time, so <see cref="IChatSiloObserver.Deliver"/> only queues: one slow page never holds up the rest.
/// </summary>
public sealed class ChatSilo(IGrainFactory grains, ChatRouter router, ILogger<ChatSilo> logger) : IChatSiloObserver
{
    private readonly Guid _id = Guid.NewGuid();
    private readonly ConcurrentDictionary<long, ChatTab> _tabs = new();
    private readonly Lock _referenceLock = new();
    private IChatSiloObserver? _reference;
    private long _lastTab;

    /// <summary>The lobby this instance's tabs join; tests give each their own.</summary>
    public string LobbyName { get; init; } = RouterEngines.MainLobby;

    internal ILobbyGrain Lobby => grains.GetGrain<ILobbyGrain>(LobbyName);

    /// <summary>Tabs open on this instance.</summary>
    public int TabCount => _tabs.Count;

    /// <summary>
    /// Joins <paramref name="userName"/>'s new tab to the chat. The caller takes the name, the session and the address
    /// from the signed-in principal and the connection, never from anything the browser sent.
    /// </summary>
    public async Task<JoinResult> JoinAsync(string userName, Func<ChatEvent, Task> onEvent, string? sessionId, string? clientAddress)
    {
        var tab = new ChatTab(this, new TabKey(_id, Interlocked.Increment(ref _lastTab)), userName, sessionId, onEvent, router.TypingInterval, logger);

        // Registered first: the lobby may send the tab events before the reply to the join arrives.
        _tabs[tab.Key.Tab] = tab;
        JoinReply reply;
        try
        {
            reply = await Lobby.Join(tab.Key, Reference(), userName, sessionId, clientAddress);
        }
        catch
        {
            Forget(tab);
            throw;
        }

        if (reply.Initial is not { } initial)
        {
            Forget(tab);
            return new JoinResult(reply.Status);
        }

        tab.Initial = initial;
        return new JoinResult(ConnectStatus.Connected, tab);
    }

    /// <summary>Closes every tab of one sign-in, on every instance (all of the user's, when <paramref name="sessionId"/> is null).</summary>
    public Task SignOutAsync(string userName, string? sessionId) => Lobby.SignOut(userName, sessionId);

    /// <summary>Signs a session's tabs out if it has any open, on any instance; whether it had.</summary>
    public Task<bool> SignOutSessionIfOpenAsync(string userName, string sessionId) => Lobby.SignOutSessionIfOpen(userName, sessionId);

    /// <summary>The people <paramref name="userName"/> has blocked, in display order, as the lobby's router holds them.</summary>
    public Task<IReadOnlyList<string>> BlockedByAsync(string userName) => Lobby.BlockedBy(userName);

    /// <summary>Checks a block or unblock against the limits, before the database is written.</summary>
    public Task<BlockResult> ReserveBlockChangeAsync(string blocker, string blocked, bool block) => Lobby.ReserveBlockChange(blocker, blocked, block);

    /// <summary>Applies a block or unblock the database now holds, for everyone on every instance.</summary>
    public Task ApplyBlockChangeAsync(string blocker, string blocked, bool block) => Lobby.ApplyBlockChange(blocker, blocked, block);

    /// <summary>Turns a person's read receipts on or off in the chat, at once.</summary>
    public Task SetReadReceiptsAsync(string userName, bool on) => Lobby.SetReadReceipts(userName, on);

    Task IChatSiloObserver.Deliver(long tab, ChatEvent chatEvent)
    {
        if (_tabs.TryGetValue(tab, out var open))
        {
            open.Post(chatEvent);
        }

        return Task.CompletedTask;
    }

    internal void Forget(ChatTab tab)
    {
        _tabs.TryRemove(new KeyValuePair<long, ChatTab>(tab.Key.Tab, tab));
        tab.Close();
    }

    // Orleans holds an observer weakly: this singleton keeps itself alive, and the reference is made once, after the
    // silo has started (the first join comes from a circuit, so it has).
    private IChatSiloObserver Reference()
    {
        lock (_referenceLock)
        {
            return _reference ??= grains.CreateObjectReference<IChatSiloObserver>(this);
        }
    }
}
