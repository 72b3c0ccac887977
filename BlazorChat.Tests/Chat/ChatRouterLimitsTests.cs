using BlazorChat.Chat;

namespace BlazorChat.Tests.Chat;

/// <summary>The message and pick rate limits: per user, shared by all their tabs, refilled by time.</summary>
public sealed class ChatRouterLimitsTests
{
    private readonly RouterFixture _fixture = new();

    [Fact]
    public async Task Send_FasterThanTheLimit_IsRefusedUntilTimeRefillsIt()
    {
        var fixture = new RouterFixture(new ChatOptions { LeaveGrace = TimeSpan.Zero, ReconnectGrace = TimeSpan.Zero, MaxMessagesPerSecond = 20 });
        var pair = await fixture.PairAsync("hamza", "karam");

        var burst = Enumerable.Range(0, 21).Select(i => pair.A.Send($"m{i}").Status).ToList();
        fixture.Time.Advance(TimeSpan.FromMilliseconds(100));
        var afterPause = Enumerable.Range(0, 3).Select(i => pair.A.Send($"later{i}").Status).ToList();

        Assert.Equal(Enumerable.Repeat(SendStatus.Delivered, 20).Append(SendStatus.TooFast), burst);
        Assert.Equal([SendStatus.Delivered, SendStatus.Delivered, SendStatus.TooFast], afterPause);
        var received = await pair.BEvents.WaitForMessagesAsync(22);
        Assert.Equal(22, received.Count);
        Assert.DoesNotContain(received, m => m.Text is "m20" or "later2");
    }

    [Fact]
    public async Task Send_Limit_IsSharedByAllTabsOfAUser()
    {
        var fixture = new RouterFixture(new ChatOptions { LeaveGrace = TimeSpan.Zero, ReconnectGrace = TimeSpan.Zero, MaxMessagesPerSecond = 5 });
        var pair = await fixture.PairAsync("hamza", "karam");
        var (secondTab, _) = fixture.Connect("hamza");

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(SendStatus.Delivered, (i % 2 == 0 ? pair.A : secondTab).Send($"m{i}").Status);
        }

        Assert.Equal(SendStatus.TooFast, secondTab.Send("one more").Status);
        Assert.Equal(SendStatus.Delivered, pair.B.Send("the partner has their own allowance").Status);
    }

    [Fact]
    public async Task Send_RefusedAsTooLong_StillTakesFromTheRateLimit()
    {
        var fixture = new RouterFixture(new ChatOptions { LeaveGrace = TimeSpan.Zero, ReconnectGrace = TimeSpan.Zero, MaxMessagesPerSecond = 20 });
        var pair = await fixture.PairAsync("hamza", "karam");
        var tooLong = new string('x', 4001);

        var refused = Enumerable.Range(0, 20).Select(_ => pair.A.Send(tooLong).Status).ToList();
        var next = pair.A.Send("hello").Status;

        Assert.All(refused, status => Assert.Equal(SendStatus.TooLong, status));
        Assert.Equal(SendStatus.TooFast, next);
    }

    [Fact]
    public async Task Pick_FasterThanTheLimit_IsRefusedAndChangesNothingUntilTimeRefillsIt()
    {
        _fixture.Options.MaxPicksPerMinute = 3;
        var (hamza, _) = _fixture.Connect("hamza");
        var (otherTab, _) = _fixture.Connect("hamza");
        var (zara, zaraEvents) = _fixture.Connect("zara");
        Assert.Equal(PickResult.Waiting, hamza.Pick("karam"));
        Assert.Equal(PickResult.Waiting, otherTab.Pick("hira"));
        Assert.Equal(PickResult.Waiting, hamza.Pick("rushna"));

        var refused = otherTab.Pick("zara");

        Assert.Equal(PickResult.TooFast, refused);
        Assert.Equal("rushna", hamza.GetSnapshot().Pick);
        Assert.Empty(zara.GetSnapshot().IncomingRequests);
        Assert.Equal(PickResult.Waiting, hamza.Pick("rushna"));
        _fixture.Time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(PickResult.Waiting, hamza.Pick("zara"));
        Assert.Equal("hamza", (await zaraEvents.WaitForAsync<ChatRequestReceived>()).From);
    }

    [Fact]
    public void Pick_AnsweringARequest_IsNeverRefusedByTheLimit()
    {
        _fixture.Options.MaxPicksPerMinute = 1;
        var (hamza, _) = _fixture.Connect("hamza");
        var (karam, _) = _fixture.Connect("karam");
        Assert.Equal(PickResult.Waiting, hamza.Pick("hira"));
        Assert.Equal(PickResult.TooFast, hamza.Pick("zara"));
        Assert.Equal(PickResult.Waiting, karam.Pick("hamza"));

        var answer = hamza.Pick("karam");

        Assert.Equal(PickResult.Paired, answer);
        Assert.Equal("karam", hamza.GetSnapshot().Conversation?.Partner);
    }
}
