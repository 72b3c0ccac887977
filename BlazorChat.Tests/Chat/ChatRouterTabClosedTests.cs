using BlazorChat.Chat;

namespace BlazorChat.Tests.Chat;

/// <summary>
/// When a tab closes, Blazor tells the circuit handlers "connection down" and then "circuit closed". The router
/// must treat that as leaving (the short leave grace), not as a dropped connection (the long reconnect grace).
/// </summary>
public sealed class ChatRouterTabClosedTests
{
    private readonly RouterFixture _fixture = new(new ChatOptions { LeaveGrace = TimeSpan.FromSeconds(3), ReconnectGrace = TimeSpan.FromSeconds(60) });

    [Fact]
    public async Task LastTabClosed_RightAfterItsConnectionWentDown_PartnerIsToldAfterTheLeaveGrace()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");

        pair.B.SetReachable(false);
        pair.B.Dispose();
        _fixture.Time.Advance(TimeSpan.FromSeconds(2.9));
        Assert.NotNull(pair.A.GetSnapshot().Conversation);
        _fixture.Time.Advance(TimeSpan.FromSeconds(0.2));

        var ended = await pair.AEvents.WaitForAsync<ChatEnded>();
        Assert.Equal(("karam", ChatEndReason.Left), (ended.EndedBy, ended.Reason));
        Assert.Equal(1, _fixture.Router.TrackedUserCount);
        Assert.Empty(_fixture.Router.FindInvariantViolations());
    }

    [Fact]
    public async Task LastTabClosed_NearTheEndOfAReconnectGrace_DoesNotExtendIt()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");

        pair.B.SetReachable(false);
        _fixture.Time.Advance(TimeSpan.FromSeconds(59));
        pair.B.Dispose();
        _fixture.Time.Advance(TimeSpan.FromSeconds(1.1));

        var ended = await pair.AEvents.WaitForAsync<ChatEnded>();
        Assert.Equal(ChatEndReason.Left, ended.Reason);
        Assert.Empty(_fixture.Router.FindInvariantViolations());
    }

    [Fact]
    public async Task OneOfTwoTabsClosed_WhileTheOtherIsUnreachable_KeepsTheReconnectGrace()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        var (otherTab, _) = _fixture.Connect("karam");

        otherTab.SetReachable(false);
        pair.B.SetReachable(false);
        pair.B.Dispose();
        _fixture.Time.Advance(TimeSpan.FromSeconds(30));
        otherTab.SetReachable(true);
        _fixture.Time.Advance(TimeSpan.FromSeconds(60));

        Assert.DoesNotContain(pair.AEvents.Events, e => e is ChatEnded);
        Assert.Equal("hamza", otherTab.GetSnapshot().Conversation?.Partner);
        Assert.Equal(SendStatus.Delivered, otherTab.Send("still here").Status);
    }
}
