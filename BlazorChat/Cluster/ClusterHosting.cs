using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;
using OrleansClusterOptions = Orleans.Configuration.ClusterOptions;

namespace BlazorChat.Cluster;

/// <summary>
/// Runs an Orleans silo inside the app, always: with no <see cref="ClusterOptions.Redis"/> a cluster of one on loopback
/// with its state in memory; with it, a member of the cluster whose membership and state live in that Redis.
/// </summary>
public static class ClusterHosting
{
    /// <summary>The grain storage the chat's state is kept in (memory, or Redis when clustered).</summary>
    public const string StorageName = "chat";

    public static WebApplicationBuilder AddChatCluster(this WebApplicationBuilder builder)
    {
        // The Cluster section itself is bound and checked by Hosting.ClusterSettings.
        var services = builder.Services;
        services.AddSingleton<RouterEngines>();
        services.AddSingleton<ChatSilo>();

        // Read here, not through IOptions: the silo is built with the host. Bad values stop start-up (ValidateOnStart).
        var cluster = builder.Configuration.GetSection(ClusterOptions.SectionName).Get<ClusterOptions>() ?? new ClusterOptions();
        builder.UseOrleans(silo =>
        {
            var siloPort = cluster.SiloPort > 0 ? cluster.SiloPort : FreeLoopbackPort();
            if (cluster.IsClustered)
            {
                var redis = cluster.Redis!;
                silo.UseRedisClustering(options => options.ConfigurationOptions = ConfigurationOptions.Parse(redis));
                silo.AddRedisGrainStorage(StorageName, options => options.ConfigurationOptions = ConfigurationOptions.Parse(redis));
                silo.Configure<OrleansClusterOptions>(options =>
                {
                    options.ClusterId = cluster.ClusterId;
                    options.ServiceId = cluster.ClusterId;
                });
                var address = cluster.AdvertisedAddress is { Length: > 0 } advertised ? IPAddress.Parse(advertised) : IPAddress.Loopback;
                silo.ConfigureEndpoints(address, siloPort, cluster.GatewayPort, listenOnAnyHostAddress: false);
            }
            else
            {
                silo.UseLocalhostClustering(siloPort, cluster.GatewayPort, serviceId: cluster.ClusterId, clusterId: cluster.ClusterId);
                silo.AddMemoryGrainStorage(StorageName);
            }
        });
        return builder;
    }

    // A cluster of one needs no known port: nobody else dials it. Asking the OS for one lets any number of instances
    // (and test hosts) run on one machine without settings.
    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
