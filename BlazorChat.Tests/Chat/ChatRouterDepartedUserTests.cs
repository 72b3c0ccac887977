using BlazorChat.Chat;

namespace BlazorChat.Tests.Chat;

/// <summary>
/// Regression tests for a bug the property tests found: a user who had left (every tab unreachable, grace
/// over) could still pick from one of those tabs, which left an offline user holding a pick, or paired them
/// with someone who then stayed in a chat with a user the router no longer knew.
/// </summary>
public sealed class ChatRouterDepartedUserTests
{
    [Fact]
    public void Pick_FromTheDroppedTabOfAUserWhoLeft_IsRefusedAndChangesNothing()
    {
        var fixture = new RouterFixture();
        var (hamza, _) = fixture.Connect("hamza");
        var (karam, _) = fixture.Connect("karam");
        hamza.SetReachable(false);

        var result = hamza.Pick("karam");

        Assert.Equal(PickResult.Disconnected, result);
        Assert.Null(hamza.GetSnapshot().Pick);
        Assert.Empty(karam.GetSnapshot().IncomingRequests);
        Assert.Equal(PresenceStatus.Offline, karam.StatusOf("hamza"));
        Assert.Empty(fixture.Router.FindInvariantViolations());
    }

    [Fact]
    public void Pick_BackFromTheDroppedTabOfAUserWhoLeft_DoesNotPairWithSomeoneWhoIsGone()
    {
        var fixture = new RouterFixture();
        var (hamza, _) = fixture.Connect("hamza");
        var (karam, _) = fixture.Connect("karam");
        karam.Pick("hamza");
        hamza.SetReachable(false);

        var result = hamza.Pick("karam");
        hamza.Dispose();

        Assert.Equal(PickResult.Disconnected, result);
        Assert.Null(karam.GetSnapshot().Conversation);
        Assert.Equal(SendStatus.NotInChat, karam.Send("anyone there?").Status);
        Assert.Equal(1, fixture.Router.TrackedUserCount);
        Assert.Empty(fixture.Router.FindInvariantViolations());
    }

    [Fact]
    public async Task Pick_AfterTheReconnectGraceRanOut_WorksAgainOnceTheTabIsBack()
    {
        var fixture = new RouterFixture(new ChatOptions { LeaveGrace = TimeSpan.FromSeconds(3), ReconnectGrace = TimeSpan.FromSeconds(60) });
        var (hamza, hamzaEvents) = fixture.Connect("hamza");
        var (karam, _) = fixture.Connect("karam");
        karam.Pick("hamza");
        hamza.SetReachable(false);
        fixture.Time.Advance(TimeSpan.FromSeconds(61));

        var whileGone = hamza.Pick("karam");
        hamza.SetReachable(true);
        var whenBack = hamza.Pick("karam");

        Assert.Equal(PickResult.Disconnected, whileGone);
        Assert.Equal(PickResult.Paired, whenBack);
        Assert.Equal("karam", (await hamzaEvents.WaitForAsync<ChatStarted>()).Partner);
        Assert.Empty(fixture.Router.FindInvariantViolations());
    }
}
