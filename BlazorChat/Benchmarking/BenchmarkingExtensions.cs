using System.Net;
using BlazorChat.Chat;
using Microsoft.Extensions.Options;

namespace BlazorChat.Benchmarking;

/// <summary>
/// The diagnostics endpoint and the baseline hub, mapped only when <c>Benchmarking:Enabled</c> is true and
/// answered only for requests from this machine; anything else gets a bare 404, as if they did not exist.
/// </summary>
public static class BenchmarkingExtensions
{
    public const string DiagnosticsPath = "/_diagnostics";
    public const string BenchPathPrefix = "/_bench";

    public static IServiceCollection AddBenchmarking(this IServiceCollection services)
    {
        services.AddOptions<BenchmarkingOptions>().BindConfiguration(BenchmarkingOptions.SectionName).ValidateOnStart();
        services.AddSingleton<CircuitMeter>();
        services.AddSingleton<DeliveryWaitMeter>();

        // Hubs offer MessagePack besides JSON (the bench hub's clients use it); Blazor's circuit hub keeps its own protocol.
        services.AddSignalR().AddMessagePackProtocol();
        return services;
    }

    /// <summary>The loopback guard; goes before the status-code pages so a refusal stays a bare 404.</summary>
    public static IApplicationBuilder UseBenchmarkingGuard(this WebApplication app)
    {
        if (!IsEnabled(app))
        {
            return app;
        }

        // Built now, before the server starts, so the listeners see every circuit and every event from the first.
        app.Services.GetRequiredService<CircuitMeter>();
        app.Services.GetRequiredService<DeliveryWaitMeter>();
        return app.Use((context, next) =>
        {
            if ((context.Request.Path.StartsWithSegments(DiagnosticsPath) || context.Request.Path.StartsWithSegments(BenchPathPrefix))
                && !IsLocal(context))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });
    }

    public static WebApplication MapBenchmarking(this WebApplication app)
    {
        if (!IsEnabled(app))
        {
            return app;
        }

        app.MapGet(DiagnosticsPath, (HttpContext context, ChatRouter router, CircuitMeter circuits, DeliveryWaitMeter deliveryWait, TimeProvider time, bool? collect) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            if (collect == true)
            {
                // For per-circuit memory: what is still referenced, not what the GC has not got round to freeing.
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            }

            return TypedResults.Ok(DiagnosticsReport.Read(router, circuits, deliveryWait, time));
        });
        app.MapHub<BenchHub>(BenchHub.Path);
        return app;
    }

    /// <summary>
    /// From this machine and not relayed: a reverse proxy on the same host also connects from loopback, so a
    /// request carrying forwarding headers is someone else's.
    /// </summary>
    internal static bool IsLocal(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address
        && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address)
        && !context.Request.Headers.ContainsKey("X-Forwarded-For")
        && !context.Request.Headers.ContainsKey("Forwarded");

    private static bool IsEnabled(WebApplication app) =>
        app.Services.GetRequiredService<IOptions<BenchmarkingOptions>>().Value.Enabled;
}
