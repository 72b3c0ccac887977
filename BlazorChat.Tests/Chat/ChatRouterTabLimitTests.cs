using BlazorChat.Chat;

namespace BlazorChat.Tests.Chat;

/// <summary>Every tab hears every status change: one account or one address may keep only so many open.</summary>
public sealed class ChatRouterTabLimitTests
{
    private static readonly Func<ChatEvent, Task> Ignore = static _ => Task.CompletedTask;

    private static RouterFixture WithLimits(int perUser, int perAddress) => new(new ChatOptions
    {
        LeaveGrace = TimeSpan.Zero,
        ReconnectGrace = TimeSpan.Zero,
        MaxTabsPerUser = perUser,
        MaxTabsPerAddress = perAddress,
    });

    [Fact]
    public void TryConnect_OneTabMoreThanTheUsersLimit_IsRefusedAndOpensNothing()
    {
        var fixture = WithLimits(perUser: 3, perAddress: 0);
        var tabs = Enumerable.Range(0, 3).Select(i => fixture.Router.TryConnect("hamza", Ignore, "s1", $"10.0.0.{i}")).ToList();

        var refused = fixture.Router.TryConnect("HAMZA", Ignore, "s2", "10.0.0.9");

        Assert.All(tabs, t => Assert.Equal(ConnectStatus.Connected, t.Status));
        Assert.Equal(new ConnectResult(ConnectStatus.TooManyTabs), refused);
        Assert.Equal(3, fixture.Router.ConnectionCount);
        Assert.Empty(fixture.Router.FindInvariantViolations());
    }

    [Fact]
    public void TryConnect_AfterOneOfTheUsersTabsCloses_OpensAgain()
    {
        var fixture = WithLimits(perUser: 2, perAddress: 0);
        var first = fixture.Router.Connect("hamza", Ignore);
        fixture.Router.Connect("hamza", Ignore);
        Assert.Equal(ConnectStatus.TooManyTabs, fixture.Router.TryConnect("hamza", Ignore, null, null).Status);

        first.Dispose();

        Assert.Equal(ConnectStatus.Connected, fixture.Router.TryConnect("hamza", Ignore, null, null).Status);
        Assert.Equal(ConnectStatus.Connected, fixture.Router.TryConnect("karam", Ignore, null, null).Status);
    }

    [Fact]
    public void TryConnect_OneTabMoreThanTheAddressLimit_IsRefusedWhateverTheAccount()
    {
        var fixture = WithLimits(perUser: 20, perAddress: 3);
        Assert.Equal(ConnectStatus.Connected, fixture.Router.TryConnect("hamza", Ignore, null, "192.0.2.7").Status);
        Assert.Equal(ConnectStatus.Connected, fixture.Router.TryConnect("karam", Ignore, null, "192.0.2.7").Status);
        Assert.Equal(ConnectStatus.Connected, fixture.Router.TryConnect("hira", Ignore, null, "192.0.2.7").Status);

        var refused = fixture.Router.TryConnect("rushna", Ignore, null, "192.0.2.7");

        Assert.Equal(new ConnectResult(ConnectStatus.TooManyTabsFromAddress), refused);
        Assert.Equal(PresenceStatus.Offline, fixture.Router.StatusOf("rushna"));
        Assert.Equal(ConnectStatus.Connected, fixture.Router.TryConnect("rushna", Ignore, null, "192.0.2.8").Status);
        Assert.Equal(ConnectStatus.Connected, fixture.Router.TryConnect("rushna", Ignore, null, null).Status);
        Assert.Empty(fixture.Router.FindInvariantViolations());
    }

    [Fact]
    public void TryConnect_FromAnAddressWhoseTabsClosedOrSignedOut_OpensAgain()
    {
        var fixture = WithLimits(perUser: 20, perAddress: 2);
        var closed = fixture.Router.TryConnect("hamza", Ignore, "s1", "192.0.2.7").Connection!;
        fixture.Router.TryConnect("karam", Ignore, "s2", "192.0.2.7");

        closed.Dispose();
        Assert.Equal(ConnectStatus.Connected, fixture.Router.TryConnect("hira", Ignore, "s3", "192.0.2.7").Status);
        fixture.Router.SignOut("karam", "s2");
        Assert.Equal(ConnectStatus.Connected, fixture.Router.TryConnect("zara", Ignore, "s4", "192.0.2.7").Status);

        Assert.Equal(ConnectStatus.TooManyTabsFromAddress, fixture.Router.TryConnect("rushna", Ignore, "s5", "192.0.2.7").Status);
        Assert.Empty(fixture.Router.FindInvariantViolations());
    }

    [Fact]
    public void TryConnect_AddressLimitZero_NeverRefusesForTheAddress()
    {
        var fixture = WithLimits(perUser: 1000, perAddress: 0);

        var results = Enumerable.Range(0, 50).Select(_ => fixture.Router.TryConnect("hamza", Ignore, null, "192.0.2.7")).ToList();

        Assert.All(results, r => Assert.Equal(ConnectStatus.Connected, r.Status));
        Assert.Empty(fixture.Router.FindInvariantViolations());
    }
}
