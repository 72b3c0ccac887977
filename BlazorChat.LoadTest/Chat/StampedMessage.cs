using System.Globalization;

namespace BlazorChat.LoadTest.Chat;

/// <summary>
/// The text a simulated person sends: who sent it, its number in their conversation, and when (a
/// timestamp of the TimeProvider every person in the process shares), then the payload. The partner's
/// client recognises it when it appears in a render batch, so delivery latency needs no clock but ours.
/// Each process stamps its own run id: a chat's transcript can still hold an earlier run's messages
/// (a reopened page shows them again), and those are neither new nor timed by our clock.
/// </summary>
public readonly record struct StampedMessage(string Sender, int Sequence, long SentTimestamp)
{
    public const string Prefix = "lt|";

    /// <summary>This process's run id.</summary>
    public static string RunId { get; } = Guid.NewGuid().ToString("N")[..8];

    public string Format(string payload) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{RunId}|{Sender}|{Sequence}|{SentTimestamp}|{payload}");

    public static bool TryParse(string text, out StampedMessage message)
    {
        message = default;
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = text.Split('|', 6);
        if (parts.Length < 6
            || parts[1] != RunId
            || !int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            || !long.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
        {
            return false;
        }

        message = new StampedMessage(parts[2], sequence, timestamp);
        return true;
    }
}

/// <summary>A stamped message as it reached its recipient's page.</summary>
public sealed record ReceivedMessage(string Sender, string Recipient, int Sequence, long SentTimestamp, long ArrivalTimestamp)
{
    public TimeSpan Latency(TimeProvider time) => time.GetElapsedTime(SentTimestamp, ArrivalTimestamp);
}
