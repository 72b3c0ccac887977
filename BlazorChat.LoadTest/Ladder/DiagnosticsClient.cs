using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace BlazorChat.LoadTest.Ladder;

/// <summary>
/// What the ladder reads from the server's <c>GET /_diagnostics</c>: resident memory (working set), private
/// bytes, the managed heap (after a forced compacting GC when collected), CPU seconds, Blazor's circuit gauges, and
/// how long the chat's events have waited for their tabs (counts by bucket since the server started).
/// </summary>
public sealed record ServerSample(
    long WorkingSetBytes,
    long PrivateBytes,
    long HeapSizeBytes,
    long ManagedBytes,
    double CpuSeconds,
    long CircuitsActive,
    long CircuitsConnected,
    int RouterConnections,
    int ThreadPoolThreads,
    bool Collected,
    double GcPauseMilliseconds = 0,
    int Gen0Collections = 0,
    int Gen2Collections = 0,
    WaitHistogram? DeliveryWait = null,
    long? PeakWorkingSetBytes = null)
{
    public static ServerSample Parse(JsonNode json, bool collected) => new(
        json["process"]!["workingSetBytes"]!.GetValue<long>(),
        json["process"]!["privateBytes"]!.GetValue<long>(),
        json["gc"]!["heapSizeBytes"]!.GetValue<long>(),
        json["gc"]!["totalMemoryBytes"]!.GetValue<long>(),
        json["process"]!["cpuTotalSeconds"]!.GetValue<double>(),
        json["circuits"]!["active"]!.GetValue<long>(),
        json["circuits"]!["connected"]!.GetValue<long>(),
        json["router"]?["connections"]?.GetValue<int>() ?? 0,
        json["threadPool"]!["threads"]!.GetValue<int>(),
        collected,
        json["gc"]!["totalPauseMilliseconds"]!.GetValue<double>(),
        json["gc"]!["gen0Collections"]!.GetValue<int>(),
        json["gc"]!["gen2Collections"]!.GetValue<int>(),
        WaitHistogram.Parse(json["deliveryWait"]),
        json["process"]!["peakWorkingSetBytes"]?.GetValue<long>());
}

/// <summary>Reads /_diagnostics over its own small HTTP client.</summary>
public sealed class DiagnosticsClient(Uri baseAddress) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>collect: the server forces a full blocking, compacting GC first, so the heap holds only what is referenced.</summary>
    public async Task<ServerSample> ReadAsync(bool collect, CancellationToken cancellationToken)
    {
        var json = await _http.GetFromJsonAsync<JsonNode>(collect ? "_diagnostics?collect=true" : "_diagnostics", cancellationToken)
            ?? throw new InvalidOperationException("/_diagnostics answered nothing.");
        return ServerSample.Parse(json, collect);
    }

    public async Task<bool> TryPingAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync("_diagnostics", cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public void Dispose() => _http.Dispose();
}
