using BlazorChat.Chat;

namespace BlazorChat.Tests.Chat;

/// <summary>A burst of status changes reaches each tab as a few people-list notices, the last change always among them.</summary>
public sealed class ChatPeopleRefreshTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private readonly RouterFixture _fixture = new(new ChatOptions
    {
        LeaveGrace = TimeSpan.Zero,
        ReconnectGrace = TimeSpan.Zero,
        MaxPicksPerMinute = 0,
        PeopleRefreshInterval = Interval,
    });

    [Fact]
    public async Task BurstOfSixtyStatusChanges_ReachesATabAtMostOncePerInterval_AndItsLastNoticeShowsTheLastChange()
    {
        var (hamza, hamzaEvents) = _fixture.Connect("hamza");
        var (karam, _) = _fixture.Connect("karam");
        await RouterFixture.UntilIdleAsync(hamza);
        var before = hamzaEvents.Events.Count(e => e is PeopleChanged);

        // 30 requests and 30 withdrawals, 10 ms apart, each handled by the tab before the next (a fast server).
        var beforeLastChange = 0;
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(PickResult.Waiting, karam.Pick("hira"));
            await StepAsync(hamza);
            beforeLastChange = hamzaEvents.Count;
            Assert.True(karam.Withdraw());
            await StepAsync(hamza);
        }

        _fixture.Time.Advance(Interval);
        await RouterFixture.UntilIdleAsync(hamza);

        // 600 ms of changes: one notice at once, one per interval after it, and the one that comes due at the end,
        // which the tab reads after the last change.
        var notices = hamzaEvents.Events.Count(e => e is PeopleChanged) - before;
        Assert.True(notices <= 3, $"{notices} people-list notices for 60 changes in 600 ms");
        await hamzaEvents.WaitForAsync<PeopleChanged>(since: beforeLastChange, timeout: TimeSpan.Zero);
        Assert.Equal(PresenceStatus.Online, hamza.FindPeople("karam", 1).People.Single().Status);
    }

    [Fact]
    public async Task ChangeAfterAQuietInterval_ReachesTheTabAtOnce()
    {
        var (hamza, hamzaEvents) = _fixture.Connect("hamza");
        _fixture.Time.Advance(Interval);
        await RouterFixture.UntilIdleAsync(hamza);
        var before = hamzaEvents.Count;

        _fixture.Connect("karam");

        await hamzaEvents.WaitForAsync<PeopleChanged>(since: before);
    }

    [Fact]
    public async Task ClosedTab_GetsNoNoticeWhenItsTimerComesDue()
    {
        var (hamza, hamzaEvents) = _fixture.Connect("hamza");
        var (karam, _) = _fixture.Connect("karam");
        await RouterFixture.UntilIdleAsync(hamza);
        karam.Pick("hira");
        await RouterFixture.UntilIdleAsync(hamza);
        var count = hamzaEvents.Count;

        karam.Withdraw();
        hamza.Dispose();
        _fixture.Time.Advance(Interval);

        Assert.True(hamza.IsIdle);
        Assert.Equal(count, hamzaEvents.Count);
    }

    private async Task StepAsync(ChatConnection tab)
    {
        await RouterFixture.UntilIdleAsync(tab);
        _fixture.Time.Advance(TimeSpan.FromMilliseconds(10));
        await RouterFixture.UntilIdleAsync(tab);
    }
}
