using BlazorChat.Calls;
using BlazorChat.Chat;
using BlazorChat.Files;

namespace BlazorChat.Cluster;

/// <summary>A tab on some instance: that instance's <see cref="ChatSilo"/> and the tab's number there.</summary>
[GenerateSerializer, Immutable]
public readonly record struct TabKey(Guid Silo, long Tab);

/// <summary>What joining the chat gave a tab: how it went and, when it joined, the state it starts from.</summary>
[GenerateSerializer, Immutable]
public sealed record JoinReply(ConnectStatus Status, ChatSnapshot? Initial);

/// <summary>
/// The chat's one router, wherever in the cluster it runs. Every tab on every instance acts through it, so pairing
/// stays atomic (one router decides each pick) and every message takes one path: tab → lobby → partner's tabs.
/// </summary>
public interface ILobbyGrain : IGrainWithStringKey
{
    Task<JoinReply> Join(TabKey tab, IChatSiloObserver silo, string userName, string? sessionId, string? clientAddress);

    Task Leave(TabKey tab);

    Task SetReachable(TabKey tab, bool reachable);

    Task<PickResult> Pick(TabKey tab, string peer);

    Task<bool> Withdraw(TabKey tab, string? peer);

    Task<SendResult> Send(TabKey tab, string text, long? conversationId);

    Task<bool> End(TabKey tab, long? conversationId);

    Task<ChatSnapshot?> GetSnapshot(TabKey tab);

    Task<PeoplePage?> FindPeople(TabKey tab, string? filter, int limit);

    Task<TypingResult> Typing(TabKey tab, long conversationId);

    Task<SeenResult> MarkSeen(TabKey tab, long conversationId, long upToSequence);

    Task<CallResult> StartCall(TabKey tab, long conversationId, CallKind kind);

    Task<CallResult> AcceptCall(TabKey tab, long callId);

    Task<CallResult> DeclineCall(TabKey tab, long callId);

    Task<CallResult> HangUpCall(TabKey tab, long callId, CallEndReason reason);

    Task<CallResult> SignalCall(TabKey tab, long callId, CallSignalKind kind, string payload);

    Task<IReadOnlyList<SharedFile>> SharedFiles(TabKey tab, long conversationId);

    /// <summary>Closes the tabs of one sign-in (all of the user's, when <paramref name="sessionId"/> is null).</summary>
    Task SignOut(string userName, string? sessionId);

    /// <summary>Signs a session's tabs out if it has any open; whether it had.</summary>
    Task<bool> SignOutSessionIfOpen(string userName, string sessionId);

    /// <summary>Whether everything posted to this tab has been handed to its instance. For tests.</summary>
    Task<bool> IsIdle(TabKey tab);

    Task<IReadOnlyList<string>> BlockedBy(string userName);

    /// <summary>Checks a block or unblock against the limits before the database is written (see <see cref="ChatRouter"/>'s blocks).</summary>
    Task<BlockResult> ReserveBlockChange(string blocker, string blocked, bool block);

    /// <summary>Applies a block or unblock the database now holds.</summary>
    Task ApplyBlockChange(string blocker, string blocked, bool block);

    Task SetReadReceipts(string userName, bool on);
}

/// <summary>
/// Hosts the router (<see cref="ChatRouter"/>, unchanged: its own lock still makes each decision atomic) and maps each
/// tab's key to the router's connection for it. The router queues each tab's events in order and hands them, one at a
/// time, to the tab's instance through that instance's observer, so a tab on another instance sees them in order.
/// Reentrant: every method is a short synchronous step of the router, which never awaits inside its lock.
/// </summary>
[Orleans.Concurrency.Reentrant]
[CollectionAgeLimit(AlwaysActive = true)]
internal sealed class LobbyGrain(RouterEngines engines) : Grain, ILobbyGrain
{
    private Lobby _lobby = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _lobby = engines.For(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public Task<JoinReply> Join(TabKey tab, IChatSiloObserver silo, string userName, string? sessionId, string? clientAddress)
    {
        var result = _lobby.Router.TryConnect(userName, chatEvent => silo.Deliver(tab.Tab, chatEvent), sessionId, clientAddress);
        if (result.Connection is not { } connection)
        {
            return Task.FromResult(new JoinReply(result.Status, null));
        }

        _lobby.Tabs[tab] = connection;
        return Task.FromResult(new JoinReply(ConnectStatus.Connected, connection.Initial));
    }

    public Task Leave(TabKey tab)
    {
        if (_lobby.Tabs.TryRemove(tab, out var connection))
        {
            connection.Dispose();
        }

        return Task.CompletedTask;
    }

    public Task SetReachable(TabKey tab, bool reachable)
    {
        Of(tab)?.SetReachable(reachable);
        return Task.CompletedTask;
    }

    public Task<PickResult> Pick(TabKey tab, string peer) =>
        Task.FromResult(Of(tab)?.Pick(peer) ?? PickResult.Disconnected);

    public Task<bool> Withdraw(TabKey tab, string? peer) => Task.FromResult(Of(tab)?.Withdraw(peer) ?? false);

    public Task<SendResult> Send(TabKey tab, string text, long? conversationId) =>
        Task.FromResult(Of(tab)?.Send(text, conversationId) ?? new SendResult(SendStatus.Disconnected));

    public Task<bool> End(TabKey tab, long? conversationId) => Task.FromResult(Of(tab)?.End(conversationId) ?? false);

    public Task<ChatSnapshot?> GetSnapshot(TabKey tab) => Task.FromResult(Of(tab)?.GetSnapshot());

    public Task<PeoplePage?> FindPeople(TabKey tab, string? filter, int limit) => Task.FromResult(Of(tab)?.FindPeople(filter, limit));

    public Task<TypingResult> Typing(TabKey tab, long conversationId) =>
        Task.FromResult(Of(tab)?.Typing(conversationId) ?? TypingResult.Disconnected);

    public Task<SeenResult> MarkSeen(TabKey tab, long conversationId, long upToSequence) =>
        Task.FromResult(Of(tab)?.MarkSeen(conversationId, upToSequence) ?? SeenResult.Disconnected);

    public Task<CallResult> StartCall(TabKey tab, long conversationId, CallKind kind) =>
        Task.FromResult(Of(tab)?.StartCall(conversationId, kind) ?? CallResult.NotInChat);

    public Task<CallResult> AcceptCall(TabKey tab, long callId) => Task.FromResult(Of(tab)?.AcceptCall(callId) ?? CallResult.NotInChat);

    public Task<CallResult> DeclineCall(TabKey tab, long callId) => Task.FromResult(Of(tab)?.DeclineCall(callId) ?? CallResult.NotInChat);

    public Task<CallResult> HangUpCall(TabKey tab, long callId, CallEndReason reason) =>
        Task.FromResult(Of(tab)?.HangUpCall(callId, reason) ?? CallResult.NotInChat);

    public Task<CallResult> SignalCall(TabKey tab, long callId, CallSignalKind kind, string payload) =>
        Task.FromResult(Of(tab)?.SignalCall(callId, kind, payload) ?? CallResult.NotInChat);

    public Task<IReadOnlyList<SharedFile>> SharedFiles(TabKey tab, long conversationId) =>
        Task.FromResult(Of(tab) is { } connection ? _lobby.Router.SharedFiles(connection, conversationId) : []);

    public Task SignOut(string userName, string? sessionId)
    {
        _lobby.Router.SignOut(userName, sessionId);
        return Task.CompletedTask;
    }

    public Task<bool> SignOutSessionIfOpen(string userName, string sessionId) =>
        Task.FromResult(_lobby.Router.SignOutSessionIfOpen(userName, sessionId));

    public Task<bool> IsIdle(TabKey tab) => Task.FromResult(Of(tab)?.IsIdle ?? true);

    public Task<IReadOnlyList<string>> BlockedBy(string userName) => Task.FromResult(_lobby.Router.BlockedBy(userName));

    public Task<BlockResult> ReserveBlockChange(string blocker, string blocked, bool block) =>
        Task.FromResult(_lobby.Router.ReserveBlockChange(blocker, blocked, block));

    public Task ApplyBlockChange(string blocker, string blocked, bool block)
    {
        if (block)
        {
            _lobby.Router.ApplyBlock(blocker, blocked);
        }
        else
        {
            _lobby.Router.ApplyUnblock(blocker, blocked);
        }

        return Task.CompletedTask;
    }

    public Task SetReadReceipts(string userName, bool on)
    {
        _lobby.Router.SetReadReceipts(userName, on);
        return Task.CompletedTask;
    }

    private ChatConnection? Of(TabKey tab) => _lobby.Tabs.GetValueOrDefault(tab);
}
