using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorChat.Cluster;

/// <summary>
/// Part of <c>/readyz</c> when <c>Cluster:Redis</c> is set: Redis answers a PING through the app's one shared
/// <see cref="IConnectionMultiplexer"/>. Unhealthy while Redis does not answer, Healthy again once the multiplexer has
/// reconnected by itself. Without <c>Cluster:Redis</c> the check is not registered and nothing connects to Redis.
/// </summary>
public sealed partial class RedisReadyCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public const string Name = "redis";

    /// <summary>
    /// Defaults put before the operator's own <c>Cluster:Redis</c>, where a later value wins: a dead Redis costs a
    /// connect attempt or a command at most 2 s (StackExchange.Redis waits 5 s), so neither start-up nor /readyz hangs.
    /// </summary>
    private const string Defaults = "connectTimeout=2000,syncTimeout=2000,asyncTimeout=2000,";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // While disconnected, a command would wait in the multiplexer's backlog until its timeout: answer at once instead.
        if (!redis.IsConnected)
        {
            return HealthCheckResult.Unhealthy("redis not connected");
        }

        try
        {
            await redis.GetDatabase().PingAsync().WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("redis unavailable");
        }
    }

    /// <summary>
    /// The StackExchange.Redis configuration the app uses for <paramref name="connectionString"/>: the string as parsed,
    /// with the short timeouts above unless it sets its own, and never <c>abortConnect</c>: the app starts while Redis is
    /// down and the multiplexer keeps reconnecting in the background. Throws <see cref="ArgumentException"/> on a string
    /// StackExchange.Redis does not accept.
    /// </summary>
    public static ConfigurationOptions Configuration(string connectionString)
    {
        var options = ConfigurationOptions.Parse(Defaults + connectionString);
        options.AbortOnConnectFail = false;
        return options;
    }

    /// <summary>The shared multiplexer; connecting gives up after connectTimeout and goes on retrying in the background.</summary>
    internal static IConnectionMultiplexer Connect(IServiceProvider services)
    {
        var cluster = services.GetRequiredService<IOptions<ClusterOptions>>().Value;
        if (!cluster.IsClustered)
        {
            throw new InvalidOperationException($"{ClusterOptions.SectionName}:Redis is not set: this instance uses no Redis.");
        }

        var logger = services.GetRequiredService<ILogger<RedisReadyCheck>>();
        var redis = ConnectionMultiplexer.Connect(Configuration(cluster.Redis!));
        redis.ConnectionFailed += (_, e) => Log.ConnectionLost(logger, e.EndPoint?.ToString(), e.ConnectionType, e.FailureType);
        redis.ConnectionRestored += (_, e) => Log.ConnectionRestored(logger, e.EndPoint?.ToString(), e.ConnectionType);
        if (!redis.IsConnected)
        {
            Log.NotConnectedAtStart(logger);
        }

        return redis;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the Redis connection to {EndPoint} ({ConnectionType}): {FailureType}; reconnecting")]
        public static partial void ConnectionLost(ILogger logger, string? endPoint, ConnectionType connectionType, ConnectionFailureType failureType);

        [LoggerMessage(Level = LogLevel.Information, Message = "Redis connection to {EndPoint} ({ConnectionType}) restored")]
        public static partial void ConnectionRestored(ILogger logger, string? endPoint, ConnectionType connectionType);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Redis (Cluster:Redis) does not answer yet; /readyz stays unhealthy until it does")]
        public static partial void NotConnectedAtStart(ILogger logger);
    }
}

public static class RedisReadyCheckExtensions
{
    /// <summary>
    /// The shared <see cref="IConnectionMultiplexer"/> (made on first use, only when <c>Cluster:Redis</c> is set) and,
    /// when it is set, the <see cref="RedisReadyCheck"/> with <paramref name="tags"/>. The options are read when the
    /// health checks are first built, so settings layered on after registration (tests, hosts) count.
    /// </summary>
    public static IServiceCollection AddRedisReadyCheck(this IServiceCollection services, params string[] tags)
    {
        services.AddSingleton<IConnectionMultiplexer>(RedisReadyCheck.Connect);
        services.AddSingleton<RedisReadyCheck>();
        services.AddOptions<HealthCheckServiceOptions>().Configure<IOptions<ClusterOptions>>((health, cluster) =>
        {
            if (cluster.Value.IsClustered)
            {
                health.Registrations.Add(new HealthCheckRegistration(
                    RedisReadyCheck.Name, static sp => sp.GetRequiredService<RedisReadyCheck>(), failureStatus: null, tags));
            }
        });
        return services;
    }
}
