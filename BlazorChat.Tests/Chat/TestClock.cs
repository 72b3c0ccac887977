namespace BlazorChat.Tests.Chat;

/// <summary>
/// A clock the test moves by hand. Timers that come due fire during <see cref="Advance"/>, on the thread that
/// advances, and before it returns; reading the clock never fires anything.
/// </summary>
/// <remarks>
/// FakeTimeProvider fires due timers from whichever thread happens to be inside it, including a thread that
/// only reads the time (<c>GetTimestamp</c>). The router's delivery threads read the time, so a departure due
/// at an advance could fire on one of them after <c>Advance</c> had returned, and the test then saw the user
/// still there. Here nothing but <see cref="Advance"/> runs a callback, so what is due has happened when it returns.
/// </remarks>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _state = new();     // guards _now and _timers; never held while a callback runs
    private readonly Lock _advancing = new(); // one advance at a time, so each fires what it made due
    private readonly List<ClockTimer> _timers = [];
    private DateTimeOffset _now = start;
    private long _lastArmed;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_state)
        {
            return _now;
        }
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ClockTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the time on and runs, in order of their due times, the callbacks of every timer that came due.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        lock (_advancing)
        {
            DateTimeOffset until;
            lock (_state)
            {
                _now += by;
                until = _now;
            }

            while (TakeNextDue(until) is { } due)
            {
                due.Callback(due.State);
            }
        }
    }

    private ClockTimer? TakeNextDue(DateTimeOffset until)
    {
        lock (_state)
        {
            ClockTimer? next = null;
            foreach (var timer in _timers)
            {
                if (timer.DueAt <= until && (next is null || (timer.DueAt, timer.ArmedOrder).CompareTo((next.DueAt, next.ArmedOrder)) < 0))
                {
                    next = timer;
                }
            }

            if (next is null)
            {
                return null;
            }

            if (next.Period > TimeSpan.Zero)
            {
                next.DueAt += next.Period;
            }
            else
            {
                _timers.Remove(next);
            }

            return next;
        }
    }

    private bool Arm(ClockTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (_state)
        {
            _timers.Remove(timer);
            if (timer.Disposed)
            {
                return false;
            }

            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return true;
            }

            ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, TimeSpan.Zero);
            timer.DueAt = _now + dueTime;
            timer.Period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
            timer.ArmedOrder = ++_lastArmed;
            _timers.Add(timer);
        }

        // A real timer due now fires at once on the thread pool, not on the thread that armed it (which may hold a lock).
        if (dueTime == TimeSpan.Zero)
        {
            ThreadPool.QueueUserWorkItem(static t => ((ClockTimer)t!).FireIfDueNow(), timer);
        }

        return true;
    }

    private void FireIfDueNow(ClockTimer timer)
    {
        lock (_advancing)
        {
            bool due;
            lock (_state)
            {
                due = _timers.Contains(timer) && timer.DueAt <= _now;
                if (due && timer.Period > TimeSpan.Zero)
                {
                    timer.DueAt += timer.Period;
                }
                else if (due)
                {
                    _timers.Remove(timer);
                }
            }

            if (due)
            {
                timer.Callback(timer.State);
            }
        }
    }

    private void Disarm(ClockTimer timer)
    {
        lock (_state)
        {
            timer.Disposed = true;
            _timers.Remove(timer);
        }
    }

    private sealed class ClockTimer(TestClock clock, TimerCallback callback, object? state) : ITimer
    {
        public TimerCallback Callback { get; } = callback;

        public object? State { get; } = state;

        // Guarded by the clock's lock.
        public DateTimeOffset DueAt { get; set; }

        public TimeSpan Period { get; set; }

        public long ArmedOrder { get; set; }

        public bool Disposed { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period) => clock.Arm(this, dueTime, period);

        public void FireIfDueNow() => clock.FireIfDueNow(this);

        public void Dispose() => clock.Disarm(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
