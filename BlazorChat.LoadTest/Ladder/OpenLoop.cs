using System.Diagnostics;
using BlazorChat.LoadTest.Chat;

namespace BlazorChat.LoadTest.Ladder;

/// <summary>
/// One step of open-loop load: what was offered, sent and delivered, the latencies, and (from the server) how long the
/// step's events waited for their tabs.
/// </summary>
public sealed record LoadStep(
    double OfferedPerSecond,
    int Pairs,
    TimeSpan Duration,
    int Sent,
    int Delivered,
    LatencySummary Latency,
    double SendLagP99Milliseconds,
    double ServerCpuSeconds,
    string? Failure = null,
    WaitHistogram? DeliveryWaits = null)
{
    public bool AllDelivered => Failure is null && Delivered == Sent;

    /// <summary>Server CPU time per delivered message, in microseconds.</summary>
    public double CpuMicrosecondsPerMessage => Sent == 0 ? double.NaN : ServerCpuSeconds * 1e6 / Sent;

    /// <summary>Steps at one load taken as one: counts and CPU added up, latency from all their samples (pooled), the worst send lag.</summary>
    public static LoadStep Pool(IReadOnlyList<LoadStep> steps, LatencyRecorder pooled) => new(
        steps[0].OfferedPerSecond,
        steps[0].Pairs,
        steps.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Duration),
        steps.Sum(s => s.Sent),
        steps.Sum(s => s.Delivered),
        pooled.Summarize(),
        steps.Max(s => s.SendLagP99Milliseconds),
        steps.Sum(s => s.ServerCpuSeconds),
        steps.Select(s => s.Failure).FirstOrDefault(f => f is not null),
        steps.All(s => s.DeliveryWaits is not null) ? steps.Aggregate(WaitHistogram.Empty, (sum, s) => sum.Plus(s.DeliveryWaits!)) : null);
}

/// <summary>
/// Open-loop sending: message k of the step leaves at k / rate seconds after the start, from sender k mod n, whether
/// or not earlier messages have arrived; nobody waits for a reply. Each message's latency is its recipient's
/// arrival time minus the moment it left (its stamp). How late sends left against the schedule (send lag) shows
/// when the client itself, not the server, is the bottleneck.
/// </summary>
public static class OpenLoop
{
    /// <summary>Sequence numbers of step s are s * StepBase + k, so a late arrival is counted for its own step.</summary>
    public const int StepBase = 1_000_000;

    public static async Task<(int Sent, double LagP99Ms, Exception? Failure)> RunAsync(
        IReadOnlyList<Func<int, Task>> senders, double rate, TimeSpan duration, int step, CancellationToken cancellationToken)
    {
        var total = (int)Math.Round(rate * duration.TotalSeconds);
        var pending = new List<Task>(total);
        var lags = new double[total];
        var clock = Stopwatch.StartNew();
        var sent = 0;
        while (sent < total)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var due = Math.Min(total, (int)(clock.Elapsed.TotalSeconds * rate) + 1);
            for (; sent < due; sent++)
            {
                lags[sent] = clock.Elapsed.TotalMilliseconds - (sent / rate * 1000);
                var sender = senders[sent % senders.Count];
                pending.Add(sender((step * StepBase) + (sent / senders.Count) + 1));
            }

            if (sent < total)
            {
                var next = TimeSpan.FromSeconds(sent / rate) - clock.Elapsed;
                if (next > TimeSpan.FromMilliseconds(1))
                {
                    await Task.Delay(next, cancellationToken);
                }
                else
                {
                    await Task.Yield();
                }
            }
        }

        Exception? failure = null;
        try
        {
            await Task.WhenAll(pending).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            failure = ex;
        }

        Array.Sort(lags);
        return (sent, lags.Length == 0 ? 0 : lags[Math.Clamp((int)Math.Ceiling(0.99 * lags.Length) - 1, 0, lags.Length - 1)], failure);
    }

    /// <summary>Waits until count reaches expected or the time is up.</summary>
    public static async Task DrainAsync(Func<int> count, int expected, TimeSpan limit, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (count() < expected && clock.Elapsed < limit)
        {
            await Task.Delay(50, cancellationToken);
        }
    }
}
