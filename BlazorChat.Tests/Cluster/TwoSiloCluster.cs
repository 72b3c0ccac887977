using BlazorChat.Chat;
using BlazorChat.Cluster;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.TestingHost;

namespace BlazorChat.Tests.Cluster;

/// <summary>
/// A real two-silo Orleans cluster in this process (Microsoft.Orleans.TestingHost): each silo with the app's grains
/// and its own <see cref="ChatSilo"/>, as two app instances would have. Each test's router runs in a lobby of its
/// own, which activates on one silo; tabs opened on the other reach it over the cluster's loopback connections.
/// </summary>
public sealed class TwoSiloCluster : IAsyncLifetime
{
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSiloHost((_, host) => host.Services.AddSingleton<RouterEngines>());
        builder.ConfigureSilo((_, silo) => silo.AddMemoryGrainStorage(ClusterHosting.StorageName));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    /// <summary>
    /// A lobby that runs <paramref name="router"/>, and one <see cref="ChatSilo"/> per silo joining it. Wherever the
    /// lobby activates, it finds the router (both silos know it by the lobby's name).
    /// </summary>
    public (ChatSilo First, ChatSilo Second) Open(ChatRouter router)
    {
        var name = Guid.NewGuid().ToString("N");
        var silos = _cluster.Silos.Select(s => s.ServiceProvider).ToArray();
        Assert.Equal(2, silos.Length);
        foreach (var services in silos)
        {
            services.GetRequiredService<RouterEngines>().Add(name, router);
        }

        ChatSilo On(IServiceProvider services) =>
            new(services.GetRequiredService<IGrainFactory>(), router, NullLogger<ChatSilo>.Instance) { LobbyName = name };

        return (On(silos[0]), On(silos[1]));
    }
}
