using BlazorChat.Cluster;
using BlazorChat.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BlazorChat.Hosting;

/// <summary>
/// For the proxy and the service manager: <c>/healthz</c> answers while the process serves requests (it checks
/// nothing else), <c>/readyz</c> also checks that the database answers and has every migration applied, and with
/// <c>Cluster:Redis</c> set that Redis answers (<see cref="RedisReadyCheck"/>). Both answer only Healthy / Unhealthy:
/// no names, no counts, no exception text. No rate limit applies to them (limits are attached to the sign-in page and
/// the live connection only), so a monitor polling every few seconds is fine.
/// </summary>
public static class HealthEndpoints
{
    public const string LivePath = "/healthz";
    public const string ReadyPath = "/readyz";
    private const string ReadyTag = "ready";

    public static IServiceCollection AddHealthEndpoints(this IServiceCollection services)
    {
        services.AddSingleton<DatabaseReadyCheck>();
        services.AddHealthChecks().AddCheck<DatabaseReadyCheck>("database", tags: [ReadyTag]);
        services.AddRedisReadyCheck(ReadyTag);
        return services;
    }

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = static _ => false }).AllowAnonymous();
        endpoints.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = static check => check.Tags.Contains(ReadyTag) }).AllowAnonymous();
        return endpoints;
    }
}

/// <summary>The database answers a query and has no pending migration. One small query once migrations are seen applied.</summary>
public sealed class DatabaseReadyCheck(IDbContextFactory<BlazorChatDbContext> dbFactory) : IHealthCheck
{
    // Migrations are applied only at start-up, so once seen applied they stay applied for the life of the process.
    private volatile bool _migrated;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            if (!_migrated)
            {
                if ((await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
                {
                    return HealthCheckResult.Unhealthy("migrations pending");
                }

                _migrated = true;
            }

            await db.Database.SqlQueryRaw<int>("SELECT 1 AS \"Value\"").SingleAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("database unavailable");
        }
    }
}
