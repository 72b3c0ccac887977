namespace BlazorChat.Chat;

/// <summary>
/// A token bucket: starts full at its capacity, refills continuously at its rate, and each action takes one token. A
/// capacity of 0 or less means no limit. A mutable struct, kept in a field and changed in place; not thread-safe (the
/// router uses it under its lock, a hub connection one call at a time).
/// </summary>
internal struct TokenBucket
{
    private double _tokens;
    private long _refilledAt;   // TimeProvider timestamp; 0 before the first action

    /// <summary>Takes a token if there is one; false (and nothing taken) when the bucket is empty.</summary>
    public bool TryTake(TimeProvider time, double capacity, double perSecond)
    {
        if (capacity <= 0)
        {
            return true;
        }

        Refill(time, capacity, perSecond);
        if (_tokens < 1)
        {
            return false;
        }

        _tokens--;
        return true;
    }

    /// <summary>
    /// Takes a token, borrowing the next one when the bucket is empty, and says how long to wait until the borrowed
    /// token has refilled (zero when there was one). Callers that wait their turn one at a time keep to the rate.
    /// </summary>
    public TimeSpan Borrow(TimeProvider time, double capacity, double perSecond)
    {
        if (capacity <= 0)
        {
            return TimeSpan.Zero;
        }

        Refill(time, capacity, perSecond);
        _tokens--;
        return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / perSecond);
    }

    private void Refill(TimeProvider time, double capacity, double perSecond)
    {
        var now = time.GetTimestamp();
        _tokens = _refilledAt == 0
            ? capacity
            : Math.Min(capacity, _tokens + (time.GetElapsedTime(_refilledAt, now).TotalSeconds * perSecond));
        _refilledAt = now;
    }
}
