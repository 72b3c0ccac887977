using BlazorChat.LoadTest.Chat;

namespace BlazorChat.LoadTest.Ladder;

/// <summary>Everything a ladder run measured; a scenario that did not run leaves its part null.</summary>
public sealed class LadderResults
{
    public CircuitsResult? Circuits { get; set; }

    public IReadOnlyList<LoadStep>? LatencyLadder { get; set; }

    public int LatencyPairs { get; set; }

    public HubComparison? HubComparison { get; set; }

    public LoadStep? Hub => HubComparison?.Hub;

    public LoadStep? BlazorAtHubLoad => HubComparison?.Blazor;

    public TypingComparison? TypingComparison { get; set; }

    public HistoryResult? History { get; set; }

    public SignInResult? SignIn { get; set; }

    public IReadOnlyList<PairingSample>? Pairing { get; set; }

    public BrowserResult? Browser { get; set; }

    /// <summary>What failed, by scenario.</summary>
    public List<string> Failures { get; } = [];
}

/// <summary>One step of the circuits ramp: the server as read from /_diagnostics, the client as it sees itself.</summary>
public sealed record CircuitStep(
    int Target,
    int Held,
    TimeSpan Elapsed,
    ServerSample Raw,
    ServerSample Collected,
    double CpuSecondsForStep,
    int AddedThisStep,
    long ClientWorkingSetBytes,
    long ClientManagedBytes);

public sealed record CircuitsResult(ServerSample BaselineRaw, ServerSample BaselineCollected, IReadOnlyList<CircuitStep> Steps, string? Failure)
{
    public int HighestHeld => Steps.Count == 0 ? 0 : Steps.Max(s => s.Held);

    /// <summary>Working set above the empty server's, per circuit, both after a forced compacting GC.</summary>
    public static double PerCircuit(long now, long baseline, int circuits) => circuits == 0 ? double.NaN : (now - baseline) / (double)circuits;
}

/// <summary>The chat pages at one load without and with a typing signal before each message, in interleaved rounds: each side pooled, and each round.</summary>
public sealed record TypingComparison(LoadStep Without, LoadStep With, IReadOnlyList<LoadStep> WithoutRounds, IReadOnlyList<LoadStep> WithRounds);

/// <summary>Blazor and the bare hub at one load, in interleaved rounds: each side's rounds pooled, and each round.</summary>
public sealed record HubComparison(LoadStep Hub, LoadStep Blazor, IReadOnlyList<LoadStep> HubRounds, IReadOnlyList<LoadStep> BlazorRounds)
{
    public double P50Ratio => Blazor.Latency.P50 / Hub.Latency.P50;

    public IEnumerable<double> RoundRatios => BlazorRounds.Zip(HubRounds, (b, h) => b.Latency.P50 / h.Latency.P50);
}

/// <summary>Server memory added by chat history: the same circuits, read after a forced GC, with 0, then n messages per pair.</summary>
public sealed record HistoryResult(int Pairs, IReadOnlyList<(int MessagesPerPair, ServerSample Sample)> Samples);

public sealed record SignInResult(int People, int Iterations, TimeSpan AllDone, LatencySummary PerPerson, int Failed);

/// <summary>One round of n pairs picking each other at once: the time until every one of them saw the chat open.</summary>
public sealed record PairingSample(int Pairs, int Online, TimeSpan Elapsed)
{
    public double PerSecond => Pairs / Elapsed.TotalSeconds;
}

public sealed record BrowserResult(int Messages, LatencySummary Latency);
