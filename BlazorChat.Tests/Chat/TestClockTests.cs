namespace BlazorChat.Tests.Chat;

public sealed class TestClockTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Advance_WhileAnotherThreadReadsTheClock_HasFiredEveryDueTimerWhenItReturns()
    {
        // The router's delivery threads read the time while a test advances it. Whatever came due must have
        // happened when Advance returns, or the test checks the router before its timers have run.
        var clock = new TestClock(Start);
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                _ = clock.GetTimestamp();
            }
        });

        var late = 0;
        for (var i = 0; i < 20_000; i++)
        {
            // The callback takes a moment, as the router's departure does (a lock, a list, a few posts).
            var fired = 0;
            using var timer = clock.CreateTimer(
                _ =>
                {
                    Thread.SpinWait(500);
                    Volatile.Write(ref fired, 1);
                },
                null,
                TimeSpan.FromSeconds(1),
                Timeout.InfiniteTimeSpan);
            clock.Advance(TimeSpan.FromSeconds(1));
            late += 1 - Volatile.Read(ref fired);
        }

        await stop.CancelAsync();
        await reader;
        Assert.Equal(0, late);
    }

    [Fact]
    public void Advance_FiresDueTimersInDueOrderThenArmedOrder_AndNotThoseLaterOrStopped()
    {
        var clock = new TestClock(Start);
        var fired = new List<string>();
        var later = clock.CreateTimer(_ => fired.Add("later"), null, TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan);
        var second = clock.CreateTimer(_ => fired.Add("second"), null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);
        var first = clock.CreateTimer(_ => fired.Add("first"), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        var tie = clock.CreateTimer(_ => fired.Add("tie"), null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);
        var stopped = clock.CreateTimer(_ => fired.Add("stopped"), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        var disposed = clock.CreateTimer(_ => fired.Add("disposed"), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        stopped.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        disposed.Dispose();

        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(["first", "second", "tie"], fired);
        Assert.False(disposed.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["first", "second", "tie", "later"], fired);
        foreach (var timer in new[] { later, second, first, tie, stopped })
        {
            timer.Dispose();
        }
    }

    [Fact]
    public void Advance_APeriodicTimer_FiresOncePerPeriodPassed()
    {
        var clock = new TestClock(Start);
        var count = 0;
        using var timer = clock.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        clock.Advance(TimeSpan.FromSeconds(3.5));

        Assert.Equal(3, count);
    }
}
