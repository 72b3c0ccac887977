using BlazorChat.Chat;
using BlazorChat.Components.Users;

namespace BlazorChat.Tests.Components;

/// <summary>The time left on one's own request, to the minute, on the test clock; and the notice when it lapses.</summary>
public sealed class PickCountdownTests : ComponentTestContext
{
    [Theory]
    [InlineData(600, "expires in 10 min")]
    [InlineData(599, "expires in 10 min")]
    [InlineData(540, "expires in 9 min")]
    [InlineData(1, "expires in 1 min")]
    [InlineData(0, "expiring")]
    public void Text_RoundsTheMinutesLeftUp(int secondsLeft, string expected)
    {
        var now = DateTimeOffset.UnixEpoch;

        Assert.Equal(expected, PickCountdown.Text(now.AddSeconds(secondsLeft), now));
    }

    [Fact]
    public async Task Waiting_ShowsTheMinutesLeft_CountsDown_AndTellsWhenTheRequestLapsed()
    {
        var (_, karamEvents) = Fixture.Connect("karam");
        var cut = RenderChatPage();
        await cut.ClickPeopleButtonAsync("Chat with karam");
        cut.WaitForAssertion(() => Assert.Equal(" · expires in 10 min", cut.Find("[data-testid=pick-expiry]").TextContent));

        Fixture.Time.Advance(TimeSpan.FromMinutes(1));
        cut.WaitForAssertion(() => Assert.Equal(" · expires in 9 min", cut.Find("[data-testid=pick-expiry]").TextContent));
        Assert.Contains("waiting for karam", cut.Find("[data-testid=waiting]").TextContent, StringComparison.Ordinal);

        Fixture.Time.Advance(TimeSpan.FromMinutes(9));

        await karamEvents.WaitForAsync<ChatRequestExpired>();
        cut.WaitForAssertion(() => Assert.Equal("Your request to karam expired", cut.Find("[data-testid=notice]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=waiting]"));
    }

    [Fact]
    public async Task TheOnePicked_SeesTheRequestGoWhenItLapses()
    {
        var (karam, _) = Fixture.Connect("karam");
        var cut = RenderChatPage();
        karam.Pick("hamza");
        cut.WaitForElement("[data-user=karam] [data-testid=wants-to-chat]");

        Fixture.Time.Advance(Router.PickExpiry);

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=wants-to-chat]")));
        await Task.CompletedTask;
    }
}
