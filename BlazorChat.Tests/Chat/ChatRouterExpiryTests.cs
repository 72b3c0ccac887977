using BlazorChat.Chat;
using BlazorChat.Hosting;

namespace BlazorChat.Tests.Chat;

/// <summary>Requests that expire (<see cref="ChatOptions.PickExpiry"/>), on a clock the test moves.</summary>
public sealed class ChatRouterExpiryTests
{
    private static readonly TimeSpan Expiry = TimeSpan.FromMinutes(10);

    private readonly RouterFixture _fixture = new(Options(Expiry));

    private static ChatOptions Options(TimeSpan expiry) => new()
    {
        LeaveGrace = TimeSpan.Zero,
        ReconnectGrace = TimeSpan.Zero,
        MaxMessagesPerSecond = 0,
        MaxPicksPerMinute = 0,
        PeopleRefreshInterval = TimeSpan.Zero,
        PickExpiry = expiry,
    };

    [Fact]
    public async Task Pick_UnansweredForPickExpiry_LapsesAndBothSidesAreTold()
    {
        var (hamza, hamzaEvents) = _fixture.Connect("hamza");
        var (karam, karamEvents) = _fixture.Connect("karam");
        var pickedAt = _fixture.Time.GetUtcNow();
        Assert.Equal(PickResult.Waiting, hamza.Pick("karam"));
        Assert.Equal(new PickChanged("karam", pickedAt + Expiry), await hamzaEvents.WaitForAsync<PickChanged>());
        Assert.Equal(pickedAt + Expiry, hamza.GetSnapshot().PickExpiresAt);

        _fixture.Time.Advance(Expiry - TimeSpan.FromSeconds(1));
        Assert.Equal("karam", hamza.GetSnapshot().Pick);

        _fixture.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("karam", (await hamzaEvents.WaitForAsync<PickExpired>()).Peer);
        await hamzaEvents.WaitForAsync<PickChanged>(e => e.Peer is null);
        Assert.Equal("hamza", (await karamEvents.WaitForAsync<ChatRequestExpired>()).From);
        Assert.Null(hamza.GetSnapshot().Pick);
        Assert.Null(hamza.GetSnapshot().PickExpiresAt);
        Assert.Empty(karam.GetSnapshot().IncomingRequests);
        Assert.Equal(PresenceStatus.Online, karam.StatusOf("hamza"));
        Assert.Empty(_fixture.Router.FindInvariantViolations());
    }

    [Fact]
    public async Task Pick_Answered_NeverLapses()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");

        _fixture.Time.Advance(Expiry * 2);

        await RouterFixture.UntilIdleAsync(pair.A);
        Assert.DoesNotContain(pair.AEvents.Events, e => e is PickExpired);
        Assert.NotNull(pair.A.GetSnapshot().Conversation);
    }

    [Fact]
    public async Task Pick_OfAnotherPerson_StartsItsOwnTime()
    {
        var (hamza, hamzaEvents) = _fixture.Connect("hamza");
        hamza.Pick("karam");
        _fixture.Time.Advance(TimeSpan.FromMinutes(6));
        hamza.Pick("hira");

        _fixture.Time.Advance(TimeSpan.FromMinutes(6));
        await RouterFixture.UntilIdleAsync(hamza);
        Assert.DoesNotContain(hamzaEvents.Events, e => e is PickExpired);
        Assert.Equal("hira", hamza.GetSnapshot().Pick);

        _fixture.Time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal("hira", (await hamzaEvents.WaitForAsync<PickExpired>()).Peer);
    }

    [Fact]
    public async Task PickExpiry_Zero_RequestsStandUntilWithdrawn()
    {
        var fixture = new RouterFixture(Options(TimeSpan.Zero));
        var (hamza, hamzaEvents) = fixture.Connect("hamza");
        hamza.Pick("karam");
        Assert.Null((await hamzaEvents.WaitForAsync<PickChanged>()).ExpiresAt);

        fixture.Time.Advance(TimeSpan.FromDays(2));

        await RouterFixture.UntilIdleAsync(hamza);
        Assert.DoesNotContain(hamzaEvents.Events, e => e is PickExpired);
        Assert.Equal("karam", hamza.GetSnapshot().Pick);
        Assert.Null(hamza.GetSnapshot().PickExpiresAt);
    }

    [Fact]
    public async Task Pick_OfSomeoneWhoBlockedThem_LapsesWithoutAWordToTheBlocker()
    {
        var (hamza, hamzaEvents) = _fixture.Connect("hamza");
        var (karam, karamEvents) = _fixture.Connect("karam");
        Assert.Equal(BlockResult.Done, _fixture.Router.ReserveBlockChange("hamza", "karam", block: true));
        _fixture.Router.ApplyBlock("hamza", "karam");
        karam.Pick("hamza");

        _fixture.Time.Advance(Expiry);

        Assert.Equal("hamza", (await karamEvents.WaitForAsync<PickExpired>()).Peer);
        await RouterFixture.UntilIdleAsync(hamza);
        Assert.DoesNotContain(hamzaEvents.Events, e => e is ChatRequestExpired or ChatRequestReceived or ChatRequestWithdrawn);
    }

    [Theory]
    [InlineData("-00:00:01")]
    [InlineData("1.00:00:01")]
    public void PickExpiry_OutOfRange_IsRefusedNamingTheSetting(string value)
    {
        var validator = new SettingNames<ChatOptions>(ChatOptions.SectionName, new ChatOptionsValidator());

        var result = validator.Validate(null, new ChatOptions { PickExpiry = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture) });

        Assert.True(result.Failed);
        Assert.Contains("Chat:PickExpiry", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:10:00")]
    [InlineData("1.00:00:00")]
    public void PickExpiry_InRange_IsAccepted(string value)
    {
        var validator = new SettingNames<ChatOptions>(ChatOptions.SectionName, new ChatOptionsValidator());

        Assert.False(validator.Validate(null, new ChatOptions { PickExpiry = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture) }).Failed);
    }
}
