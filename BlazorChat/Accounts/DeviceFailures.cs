using Microsoft.Extensions.Options;

namespace BlazorChat.Accounts;

/// <summary>
/// Wrong passwords per device cookie, in memory. A device cookie with <see cref="AccountOptions.MaxFailedSignIns"/>
/// wrong passwords, each within <see cref="AccountOptions.LockoutDuration"/> of the one before, is itself locked out
/// for that long; its account and every other device are not. Entries exist only for device cookies that failed,
/// and one can only be had by signing in, so the table stays small; stale entries are dropped as it grows.
/// </summary>
internal sealed class DeviceFailures(IOptions<AccountOptions> options, TimeProvider time)
{
    private const int PruneAbove = 10_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public bool IsLockedOut(string nonce)
    {
        var now = time.GetUtcNow().UtcTicks;
        lock (_lock)
        {
            return _entries.TryGetValue(nonce, out var entry) && entry.LockedUntilTicks > now;
        }
    }

    /// <summary>Counts a wrong password; true if the device is locked out now.</summary>
    public bool CountFailure(string nonce)
    {
        var now = time.GetUtcNow().UtcTicks;
        var window = options.Value.LockoutDuration.Ticks;
        lock (_lock)
        {
            if (_entries.Count > PruneAbove)
            {
                foreach (var stale in _entries.Where(e => e.Value.LockedUntilTicks <= now && e.Value.LastFailureTicks + window <= now).ToList())
                {
                    _entries.Remove(stale.Key);
                }
            }

            var failures = _entries.TryGetValue(nonce, out var entry) && entry.LastFailureTicks + window > now ? entry.Failures + 1 : 1;
            var locked = failures >= options.Value.MaxFailedSignIns;
            _entries[nonce] = locked ? new Entry(0, now + window, now) : new Entry(failures, entry.LockedUntilTicks, now);
            return locked;
        }
    }

    public void Forget(string nonce)
    {
        lock (_lock)
        {
            _entries.Remove(nonce);
        }
    }

    private readonly record struct Entry(int Failures, long LockedUntilTicks, long LastFailureTicks);
}
