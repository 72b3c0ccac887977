using System.Diagnostics.Metrics;
using BlazorChat.Chat;
using BlazorChat.Files;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using IPNetwork = System.Net.IPNetwork;

namespace BlazorChat.Hosting;

/// <summary>
/// <c>/metrics</c> in Prometheus' text format (OpenTelemetry's exporter), only when <c>Hosting:Metrics</c> is true and
/// only to clients in <c>Hosting:MetricsAllowedNetworks</c> (loopback unless set; the client as forwarded headers give
/// it, so a request relayed by nginx is its sender's). Anyone else gets the site's 404. Exported: the router's meter
/// (<see cref="RouterMeters"/>), the chat's delivery wait, ASP.NET Core's, Kestrel's, SignalR's, Blazor's circuits and
/// the runtime's (GC, thread pool, CPU, memory). Off, no meter is listened to and nothing is measured.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";
    public const string EnabledKey = HostingOptions.SectionName + ":Metrics";
    public const string AllowedNetworksKey = HostingOptions.SectionName + ":MetricsAllowedNetworks";

    private static readonly string[] Meters =
    [
        RouterMeters.MeterName,
        ChatMetrics.MeterName,
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.AspNetCore.Components.Server.Circuits",
        "Microsoft.AspNetCore.RateLimiting",
        "System.Runtime",
    ];

    public static IServiceCollection AddMetricsEndpoint(this IServiceCollection services)
    {
        services.AddSingleton<RouterMeters>();
        services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            ((IDeferredMeterProviderBuilder)metrics).Configure((sp, builder) =>
            {
                if (IsEnabled(sp.GetRequiredService<IConfiguration>()))
                {
                    sp.GetRequiredService<RouterMeters>();
                    builder.AddMeter(Meters);
                }
            });
            metrics.AddPrometheusExporter();
        });
        return services;
    }

    public static WebApplication UseMetricsEndpoint(this WebApplication app)
    {
        if (!IsEnabled(app.Configuration))
        {
            return app;
        }

        var allowed = ProxyHeaders.Entries(app.Configuration.GetSection(AllowedNetworksKey)).Select(Parse).ToList();
        if (allowed.Count == 0)
        {
            allowed = [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")];
        }

        app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
            context.Request.Path == Path
            && context.Connection.RemoteIpAddress is { } address
            && allowed.Exists(n => n.Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address)));
        return app;
    }

    private static bool IsEnabled(IConfiguration configuration) => configuration.GetValue<bool>(EnabledKey);

    private static IPNetwork Parse(string entry) =>
        IPNetwork.TryParse(entry, out var network)
            ? network
            : throw new OptionsValidationException(AllowedNetworksKey, typeof(HostingOptions),
                [$"{AllowedNetworksKey}: '{entry}' is not a network in CIDR form (for example 10.0.0.0/8, or 192.0.2.7/32 for one address)."]);
}

/// <summary>
/// The router's state and totals (<c>BlazorChat.Router</c>), and the file store's, read when metrics are collected: one
/// pass under the router's lock per gauge, totals without it.
/// </summary>
public sealed class RouterMeters
{
    public const string MeterName = "BlazorChat.Router";

    public RouterMeters(IMeterFactory meterFactory, ChatRouter router, FileStore files)
    {
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("blazorchat.router.tabs", () => router.ConnectionCount, unit: "{tab}", description: "Open chat tabs.");
        meter.CreateObservableGauge("blazorchat.router.people.online", () => router.GetCounts().OnlineUsers, unit: "{person}", description: "People online.");
        meter.CreateObservableGauge("blazorchat.router.people.waiting", () => router.GetCounts().WaitingUsers, unit: "{person}", description: "People waiting for someone they picked.");
        meter.CreateObservableGauge("blazorchat.router.chats", () => router.GetCounts().Conversations, unit: "{chat}", description: "Chats in progress (pairs).");
        meter.CreateObservableCounter("blazorchat.router.messages", () => router.MessagesDelivered, unit: "{message}", description: "Messages delivered since start.");
        meter.CreateObservableGauge("blazorchat.router.calls.ringing", () => router.GetCallCounts().Ringing, unit: "{call}", description: "Calls ringing, not yet answered.");
        meter.CreateObservableGauge("blazorchat.router.calls.active", () => router.GetCallCounts().InProgress, unit: "{call}", description: "Calls answered and in progress.");
        meter.CreateObservableCounter("blazorchat.router.calls.started", () => router.CallsStarted, unit: "{call}", description: "Calls placed since start.");
        meter.CreateObservableCounter("blazorchat.router.calls.answered", () => router.CallsAnswered, unit: "{call}", description: "Calls answered since start.");
        meter.CreateObservableCounter("blazorchat.router.files.shared", () => router.FilesShared, unit: "{file}", description: "Files sent (upload complete) since start.");
        meter.CreateObservableCounter("blazorchat.router.files.shared.size", () => router.FileBytesShared, unit: "By", description: "Bytes of the files sent since start.");
        meter.CreateObservableCounter("blazorchat.files.reads", () => files.Reads, unit: "{file}", description: "Files opened for download or preview since start.");
        meter.CreateObservableGauge("blazorchat.files.stored", () => files.Count, unit: "{file}", description: "Files on disk (complete or being uploaded).");
        meter.CreateObservableGauge("blazorchat.files.stored.size", () => files.UsedBytes, unit: "By", description: "Bytes the stored files take on disk.");
    }
}
