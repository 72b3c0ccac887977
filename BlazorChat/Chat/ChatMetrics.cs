using System.Diagnostics.Metrics;

namespace BlazorChat.Chat;

/// <summary>
/// The chat's own meter, <c>BlazorChat.Chat</c>, readable by any .NET metrics listener (dotnet-counters,
/// OpenTelemetry, <c>/_diagnostics</c> when benchmarking). <see cref="DeliveryWait"/> is how long an event waited
/// between the router queuing it for a tab and the tab's subscriber starting on it: the hand-over to a thread-pool
/// thread, plus the tab's earlier events still being handled. Nothing is timed while no listener is on.
/// </summary>
public sealed class ChatMetrics
{
    public const string MeterName = "BlazorChat.Chat";
    public const string DeliveryWaitInstrument = "blazorchat.chat.delivery.wait";

    public ChatMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        DeliveryWait = meter.CreateHistogram<double>(
            DeliveryWaitInstrument, unit: "s", description: "Time from the router queuing an event for a tab to the tab starting on it.");
    }

    public Histogram<double> DeliveryWait { get; }
}
