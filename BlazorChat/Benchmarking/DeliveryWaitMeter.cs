using System.Diagnostics.Metrics;
using BlazorChat.Chat;

namespace BlazorChat.Benchmarking;

/// <summary>
/// Counts this app's <see cref="ChatMetrics.DeliveryWait"/> measurements since it started, in buckets a quarter of a
/// power of two wide (each bound 19 % above the last, from 1 µs to about 28 s), so that a reader taking two
/// snapshots can tell the percentiles of the waits between them. Listening is what turns the timing on.
/// </summary>
public sealed class DeliveryWaitMeter : IDisposable
{
    private const int BucketsPerDoubling = 4;
    private const int BucketCount = 100;

    private readonly MeterListener _listener = new();
    private readonly long[] _counts = new long[BucketCount];

    /// <param name="meterFactory">This app's factory: routers of other hosts in the same process (tests) are ignored.</param>
    public DeliveryWaitMeter(IMeterFactory meterFactory)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ChatMetrics.MeterName
                && ReferenceEquals(instrument.Meter.Scope, meterFactory)
                && instrument.Name == ChatMetrics.DeliveryWaitInstrument)
            {
                listener.EnableMeasurementEvents(instrument, this);
            }
        };
        _listener.SetMeasurementEventCallback<double>(static (_, seconds, _, state) => ((DeliveryWaitMeter)state!).Add(seconds));
        _listener.Start();
    }

    /// <summary>The upper bound of bucket i, in microseconds.</summary>
    public static double UpToMicroseconds(int bucket) => Math.Pow(2, (double)bucket / BucketsPerDoubling);

    /// <summary>The buckets holding at least one wait so far, in order.</summary>
    public IReadOnlyList<WaitBucket> Snapshot()
    {
        List<WaitBucket> buckets = [];
        for (var i = 0; i < BucketCount; i++)
        {
            var count = Interlocked.Read(ref _counts[i]);
            if (count > 0)
            {
                buckets.Add(new WaitBucket(Math.Round(UpToMicroseconds(i), 3), count));
            }
        }

        return buckets;
    }

    public void Dispose() => _listener.Dispose();

    private void Add(double seconds)
    {
        var microseconds = seconds * 1e6;
        var bucket = microseconds <= 1 ? 0 : (int)Math.Ceiling(Math.Log2(microseconds) * BucketsPerDoubling);
        Interlocked.Increment(ref _counts[Math.Clamp(bucket, 0, BucketCount - 1)]);
    }
}

/// <summary>How many waits were at most <paramref name="UpToMicroseconds"/> (and above the bucket before).</summary>
public sealed record WaitBucket(double UpToMicroseconds, long Count);
