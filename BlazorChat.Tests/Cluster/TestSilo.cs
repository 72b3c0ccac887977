using System.Net;
using System.Net.Sockets;
using BlazorChat.Chat;
using BlazorChat.Cluster;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BlazorChat.Tests.Cluster;

/// <summary>
/// One real Orleans silo for the whole test run, as the app hosts it (localhost clustering, memory storage). Each test's
/// router runs in a lobby of its own, so tests share the silo but never a chat.
/// </summary>
public static class TestSilo
{
    // Started off any caller's synchronization context (a renderer's, in bUnit), which waits on it.
    private static readonly Lazy<Task<IHost>> SiloHost = new(() => Task.Run(StartAsync));

    /// <summary>A <see cref="ChatSilo"/> whose tabs join a new lobby that runs <paramref name="router"/>.</summary>
    public static ChatSilo Open(ChatRouter router)
    {
        var host = SiloHost.Value.GetAwaiter().GetResult();
        var name = Guid.NewGuid().ToString("N");
        host.Services.GetRequiredService<RouterEngines>().Add(name, router);
        return new ChatSilo(host.Services.GetRequiredService<IGrainFactory>(), router, NullLogger<ChatSilo>.Instance) { LobbyName = name };
    }

    private static async Task<IHost> StartAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<RouterEngines>();
        builder.UseOrleans(silo => silo.UseLocalhostClustering(FreePort(), 0).AddMemoryGrainStorage(ClusterHosting.StorageName));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
