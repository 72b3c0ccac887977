namespace BlazorChat.LoadTest.Chat;

/// <summary>Delivery latencies of a run, thread-safe; percentiles by nearest rank over all samples.</summary>
public sealed class LatencyRecorder
{
    private readonly List<double> _milliseconds = [];
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _milliseconds.Count;
            }
        }
    }

    public void Record(TimeSpan latency)
    {
        lock (_lock)
        {
            _milliseconds.Add(latency.TotalMilliseconds);
        }
    }

    /// <summary>Adds other's samples to this one's, so several steps can be summarised as one.</summary>
    public void Include(LatencyRecorder other)
    {
        double[] samples;
        lock (other._lock)
        {
            samples = [.. other._milliseconds];
        }

        lock (_lock)
        {
            _milliseconds.AddRange(samples);
        }
    }

    public LatencySummary Summarize()
    {
        double[] sorted;
        lock (_lock)
        {
            sorted = [.. _milliseconds];
        }

        Array.Sort(sorted);
        return new LatencySummary(
            sorted.Length,
            Percentile(sorted, 50),
            Percentile(sorted, 90),
            Percentile(sorted, 99),
            sorted.Length == 0 ? double.NaN : sorted[^1]);
    }

    private static double Percentile(double[] sorted, double percent) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(percent / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
}

public sealed record LatencySummary(int Count, double P50, double P90, double P99, double Max)
{
    public override string ToString() =>
        Count == 0 ? "no samples" : $"n={Count} p50={P50:0.00} ms p90={P90:0.00} ms p99={P99:0.00} ms max={Max:0.00} ms";
}
