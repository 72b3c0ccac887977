using System.Diagnostics;

namespace BlazorChat.Chat;

/// <summary>
/// Requests that expire: a standing pick lapses after <see cref="ChatOptions.PickExpiry"/> (zero: never). The one who
/// made it is told (<see cref="PickExpired"/>), the one picked sees it go (<see cref="ChatRequestExpired"/>).
/// </summary>
public sealed partial class ChatRouter
{
    /// <summary>How long a request stands before it lapses; zero when requests never lapse.</summary>
    public TimeSpan PickExpiry => _options.PickExpiry;

    // Called with the new pick in place: arms its timer (replacing any earlier one).
    private void StartPickExpiryLocked(UserState user)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        CancelPickExpiryLocked(user);
        if (_options.PickExpiry <= TimeSpan.Zero || user.Pick is null)
        {
            return;
        }

        var generation = ++user.PickGeneration;
        user.PickExpiresAt = _time.GetUtcNow() + _options.PickExpiry;
        user.PickTimer = _time.CreateTimer(
            static state => ((PickDue)state!).Fire(),
            new PickDue(this, user, generation),
            _options.PickExpiry,
            Timeout.InfiniteTimeSpan);
    }

    private void CancelPickExpiryLocked(UserState user)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        user.PickGeneration++;
        user.PickExpiresAt = null;
        user.PickTimer?.Dispose();
        user.PickTimer = null;
    }

    private void OnPickDue(UserState user, long generation)
    {
        lock (_lock)
        {
            if (user.PickGeneration != generation || !_users.TryGetValue(user.Name, out var filed) || filed != user
                || user.Pick is not { } peer)
            {
                return;
            }

            WithdrawPickLocked(user, expired: true);
            PostToUserLocked(user, new PickExpired(peer));
            PostToUserLocked(user, new PickChanged(null));
            if (user.Online)
            {
                BroadcastPresenceLocked(user);
            }
        }
    }

    private sealed record PickDue(ChatRouter Router, UserState User, long Generation)
    {
        public void Fire() => Router.OnPickDue(User, Generation);
    }
}
