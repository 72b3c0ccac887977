using System.Text.Json.Nodes;

namespace BlazorChat.LoadTest.Ladder;

/// <summary>
/// The server's counts of how long events waited for their tabs (<c>deliveryWait</c> in /_diagnostics): how many
/// waits were at most each bound, in microseconds, since the server started. Two readings give the waits between them.
/// </summary>
public sealed class WaitHistogram(IReadOnlyDictionary<double, long> countsByBound)
{
    public static readonly WaitHistogram Empty = new(new Dictionary<double, long>());

    public IReadOnlyDictionary<double, long> CountsByBound { get; } = countsByBound;

    public long Count => CountsByBound.Values.Sum();

    public static WaitHistogram? Parse(JsonNode? buckets) => buckets is JsonArray array
        ? new(array.ToDictionary(b => b!["upToMicroseconds"]!.GetValue<double>(), b => b!["count"]!.GetValue<long>()))
        : null;

    /// <summary>The waits counted since earlier was read.</summary>
    public WaitHistogram Since(WaitHistogram earlier) => new(CountsByBound
        .Select(b => (b.Key, Count: b.Value - earlier.CountsByBound.GetValueOrDefault(b.Key)))
        .Where(b => b.Count > 0)
        .ToDictionary(b => b.Key, b => b.Count));

    public WaitHistogram Plus(WaitHistogram other) => new(CountsByBound.Keys.Union(other.CountsByBound.Keys)
        .ToDictionary(bound => bound, bound => CountsByBound.GetValueOrDefault(bound) + other.CountsByBound.GetValueOrDefault(bound)));

    /// <summary>The bound of the bucket holding the given percentile (nearest rank); NaN when there are no waits.</summary>
    public double PercentileMicroseconds(double percent)
    {
        var count = Count;
        if (count == 0)
        {
            return double.NaN;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(percent / 100 * count));
        long seen = 0;
        foreach (var (bound, inBucket) in CountsByBound.OrderBy(b => b.Key))
        {
            seen += inBucket;
            if (seen >= rank)
            {
                return bound;
            }
        }

        return CountsByBound.Keys.Max();
    }
}
