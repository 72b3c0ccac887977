using System.Collections.Concurrent;
using BlazorChat.Chat;

namespace BlazorChat.Cluster;

/// <summary>One router and the tabs it knows, for the <see cref="LobbyGrain"/> that hosts them.</summary>
internal sealed class Lobby(ChatRouter router)
{
    public ChatRouter Router { get; } = router;

    public ConcurrentDictionary<TabKey, ChatConnection> Tabs { get; } = new();
}

/// <summary>
/// The routers a silo can host, by lobby name. The app has one, <see cref="MainLobby"/>: the silo's
/// <see cref="ChatRouter"/>, so that the services which read the router directly (blocks, receipts, files, metrics)
/// see the same one. Tests add their own, so that many can share one silo without sharing a chat.
/// </summary>
public sealed class RouterEngines(IServiceProvider services)
{
    public const string MainLobby = "main";

    private readonly ConcurrentDictionary<string, Lobby> _lobbies = new(StringComparer.Ordinal);

    /// <summary>Makes <paramref name="router"/> the one the lobby named <paramref name="name"/> runs.</summary>
    public void Add(string name, ChatRouter router)
    {
        if (!_lobbies.TryAdd(name, new Lobby(router)))
        {
            throw new InvalidOperationException($"A lobby named '{name}' already exists.");
        }
    }

    internal Lobby For(string name) => _lobbies.GetOrAdd(name, static (key, services) => key == MainLobby
        ? new Lobby(services.GetRequiredService<ChatRouter>())
        : throw new InvalidOperationException($"No lobby is named '{key}'."), services);
}
