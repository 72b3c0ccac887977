using BlazorChat.Chat;

namespace BlazorChat.Tests.Chat;

/// <summary>Tabs opening and closing, signing out, reachability, the leave and reconnect graces, and the counts they move.</summary>
public sealed class ChatRouterLifetimeTests
{
    private readonly RouterFixture _fixture = new();

    private ChatRouter Router => _fixture.Router;

    [Fact]
    public void Connect_UnknownAccount_Throws()
    {
        Assert.Throws<ArgumentException>(() => Router.Connect("mallory", _ => Task.CompletedTask));
    }

    [Fact]
    public async Task Connect_SecondTab_SeesTheCurrentChatAndTranscript()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        pair.A.Send("one");
        pair.B.Send("two");

        var (secondTab, secondTabEvents) = _fixture.Connect("hamza");
        secondTab.Send("three");

        Assert.Equal(["one", "two"], secondTab.Initial.Conversation!.Messages.Select(m => m.Text));
        Assert.Equal("three", (await secondTabEvents.WaitForMessagesAsync(1)).Single().Text);
        Assert.Equal(["one", "two", "three"], (await pair.BEvents.WaitForMessagesAsync(3)).Select(m => m.Text));
        Assert.Equal(["one", "two", "three"], (await pair.AEvents.WaitForMessagesAsync(3)).Select(m => m.Text));
    }

    [Fact]
    public async Task Dispose_OneOfTwoTabs_KeepsTheChat()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        var (secondTab, secondTabEvents) = _fixture.Connect("karam");

        pair.B.Dispose();
        pair.A.Send("still here");

        Assert.Equal("still here", (await secondTabEvents.WaitForMessagesAsync(1)).Single().Text);
        Assert.Equal("hamza", secondTab.Initial.Conversation?.Partner);
        Assert.DoesNotContain(pair.AEvents.Events, e => e is ChatEnded);
    }

    [Fact]
    public async Task Dispose_LastConnectionOfPartner_TellsTheOtherTheyLeft()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        await RouterFixture.UntilIdleAsync(pair.A);
        var seen = pair.AEvents.Count;

        pair.B.Dispose();

        var ended = await pair.AEvents.WaitForAsync<ChatEnded>();
        Assert.Equal(("karam", ChatEndReason.Left), (ended.EndedBy, ended.Reason));
        await pair.AEvents.WaitForAsync<PeopleChanged>(since: seen);
        Assert.Equal(PresenceStatus.Offline, pair.A.StatusOf("karam"));
        Assert.Null(pair.A.GetSnapshot().Conversation);
        Assert.Equal(SendStatus.NotInChat, pair.A.Send("hello?").Status);
    }

    [Fact]
    public async Task Dispose_OfVanishedPicker_WithdrawsTheirRequest()
    {
        var (hamza, _) = _fixture.Connect("hamza");
        var (karam, karamEvents) = _fixture.Connect("karam");
        hamza.Pick("karam");

        hamza.Dispose();

        await karamEvents.WaitForAsync<ChatRequestWithdrawn>(e => e.From == "hamza");
        Assert.Empty(karam.GetSnapshot().IncomingRequests);
        Assert.Equal(PickResult.Waiting, karam.Pick("hamza"));
        Assert.Equal(1, Router.TrackedUserCount);
    }

    [Fact]
    public async Task Dispose_IsIdempotent()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");

        pair.B.Dispose();
        pair.B.Dispose();

        Assert.Equal(1, Router.ConnectionCount);
        Assert.Empty(Router.FindInvariantViolations());
        Assert.Equal(PickResult.Disconnected, pair.B.Pick("hamza"));
    }

    [Fact]
    public async Task SignOut_EndsChatAtOnceAndTellsTheSignedOutTabs()
    {
        var fixture = new RouterFixture(new ChatOptions { LeaveGrace = TimeSpan.FromSeconds(3), ReconnectGrace = TimeSpan.FromSeconds(60) });
        var hamza = fixture.Connect("hamza", "session-1");
        var karam = fixture.Connect("karam", "session-2");
        hamza.Connection.Pick("karam");
        karam.Connection.Pick("hamza");

        fixture.Router.SignOut("hamza", "session-1");

        await hamza.Events.WaitForAsync<SignedOut>();
        var ended = await karam.Events.WaitForAsync<ChatEnded>();
        Assert.Equal(ChatEndReason.Left, ended.Reason);
        Assert.Equal(PickResult.Disconnected, hamza.Connection.Pick("karam"));
        Assert.Equal(1, fixture.Router.TrackedUserCount);
    }

    [Fact]
    public async Task SignOut_OfOneSession_LeavesTheUsersOtherSessions()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        var (laptop, laptopEvents) = _fixture.Connect("hamza", "laptop");
        var (phone, phoneEvents) = _fixture.Connect("hamza", "phone");

        Router.SignOut("hamza", "laptop");

        await laptopEvents.WaitForAsync<SignedOut>();
        Assert.DoesNotContain(phoneEvents.Events, e => e is SignedOut);
        Assert.Equal(SendStatus.Delivered, phone.Send("from my phone").Status);
        Assert.Equal(SendStatus.Disconnected, laptop.Send("from my laptop").Status);
        Assert.Equal("from my phone", (await pair.BEvents.WaitForMessagesAsync(1)).Single().Text);
    }

    [Fact]
    public async Task SignOut_LeavingOnlyAnUnreachableSession_EndsTheChatAfterTheReconnectGrace()
    {
        var fixture = new RouterFixture(new ChatOptions { LeaveGrace = TimeSpan.FromSeconds(3), ReconnectGrace = TimeSpan.FromSeconds(60) });
        var karam = fixture.Connect("karam");
        var laptop = fixture.Connect("hamza", "laptop");
        var phone = fixture.Connect("hamza", "phone");
        laptop.Connection.Pick("karam");
        karam.Connection.Pick("hamza");
        phone.Connection.SetReachable(false);

        fixture.Router.SignOut("hamza", "laptop");
        fixture.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.NotNull(karam.Connection.GetSnapshot().Conversation);
        fixture.Time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(ChatEndReason.Left, (await karam.Events.WaitForAsync<ChatEnded>()).Reason);
        Assert.Empty(fixture.Router.FindInvariantViolations());
    }

    [Fact]
    public async Task LeaveGrace_AReloadWithinIt_KeepsTheChat()
    {
        var fixture = new RouterFixture(new ChatOptions { LeaveGrace = TimeSpan.FromSeconds(3), ReconnectGrace = TimeSpan.FromSeconds(60) });
        var pair = await fixture.PairAsync("hamza", "karam");

        pair.B.Dispose();
        fixture.Time.Advance(TimeSpan.FromSeconds(2));
        var (reloaded, _) = fixture.Connect("karam");
        fixture.Time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal("hamza", reloaded.Initial.Conversation?.Partner);
        Assert.DoesNotContain(pair.AEvents.Events, e => e is ChatEnded);
        Assert.Equal(SendStatus.Delivered, reloaded.Send("back").Status);
    }

    [Fact]
    public async Task LeaveGrace_WhenItRunsOut_PartnerIsToldTheyLeft()
    {
        var fixture = new RouterFixture(new ChatOptions { LeaveGrace = TimeSpan.FromSeconds(3), ReconnectGrace = TimeSpan.FromSeconds(60) });
        var pair = await fixture.PairAsync("hamza", "karam");

        pair.B.Dispose();
        fixture.Time.Advance(TimeSpan.FromSeconds(2.9));
        Assert.NotNull(pair.A.GetSnapshot().Conversation);
        fixture.Time.Advance(TimeSpan.FromSeconds(0.2));

        var ended = await pair.AEvents.WaitForAsync<ChatEnded>();
        Assert.Equal(ChatEndReason.Left, ended.Reason);
        Assert.Equal(1, fixture.Router.TrackedUserCount);
        Assert.Empty(fixture.Router.FindInvariantViolations());
    }

    [Fact]
    public async Task ReconnectGrace_ConnectionDropAndReturn_KeepsChatAndMessagesSentMeanwhile()
    {
        var fixture = new RouterFixture(new ChatOptions { LeaveGrace = TimeSpan.FromSeconds(3), ReconnectGrace = TimeSpan.FromSeconds(60) });
        var pair = await fixture.PairAsync("hamza", "karam");

        pair.B.SetReachable(false);
        fixture.Time.Advance(TimeSpan.FromSeconds(30));
        pair.A.Send("while you were away");
        pair.B.SetReachable(true);
        fixture.Time.Advance(TimeSpan.FromSeconds(60));

        Assert.Equal("while you were away", (await pair.BEvents.WaitForMessagesAsync(1)).Single().Text);
        Assert.DoesNotContain(pair.AEvents.Events, e => e is ChatEnded);
        Assert.NotNull(pair.B.GetSnapshot().Conversation);
    }

    [Fact]
    public async Task ReconnectGrace_WhenItRunsOut_PartnerIsToldTheyLeft()
    {
        var fixture = new RouterFixture(new ChatOptions { LeaveGrace = TimeSpan.FromSeconds(3), ReconnectGrace = TimeSpan.FromSeconds(60) });
        var pair = await fixture.PairAsync("hamza", "karam");

        pair.B.SetReachable(false);
        fixture.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.NotNull(pair.A.GetSnapshot().Conversation);
        fixture.Time.Advance(TimeSpan.FromSeconds(2));

        var ended = await pair.AEvents.WaitForAsync<ChatEnded>();
        Assert.Equal(("karam", ChatEndReason.Left), (ended.EndedBy, ended.Reason));
        pair.B.SetReachable(true);
        Assert.Null(pair.B.GetSnapshot().Conversation);
        Assert.Equal(PresenceStatus.Online, pair.A.StatusOf("karam"));
    }

    [Fact]
    public async Task ReconnectGrace_WhenItRunsOut_WithAPickStanding_TheUsersReturningTabIsToldThePickIsGone()
    {
        var fixture = new RouterFixture(new ChatOptions { LeaveGrace = TimeSpan.FromSeconds(3), ReconnectGrace = TimeSpan.FromSeconds(60) });
        var (hamza, hamzaEvents) = fixture.Connect("hamza");
        var (karam, karamEvents) = fixture.Connect("karam");
        Assert.Equal(PickResult.Waiting, hamza.Pick("karam"));

        hamza.SetReachable(false);
        fixture.Time.Advance(TimeSpan.FromSeconds(61));
        await karamEvents.WaitForAsync<ChatRequestWithdrawn>();
        hamza.SetReachable(true);
        karam.Pick("hamza");
        await hamzaEvents.WaitForAsync<ChatRequestReceived>();

        Assert.Null(hamza.GetSnapshot().Pick);
        Assert.Equal(["karam", null], hamzaEvents.Events.OfType<PickChanged>().Select(e => e.Peer));
        Assert.Equal(PickResult.Paired, hamza.Pick("karam"));
    }

    [Fact]
    public async Task GetCounts_CountsTabsUsersChatsAndWaitingPicks()
    {
        var fixture = new RouterFixture(new ChatOptions { ReconnectGrace = TimeSpan.FromSeconds(60), MaxMessagesPerSecond = 0 });
        await fixture.PairAsync("hamza", "karam");
        fixture.Connect("karam");
        fixture.Connect("hira").Connection.Pick("rushna");
        fixture.Connect("zara").Connection.SetReachable(false);

        var counts = fixture.Router.GetCounts();

        // zara's only tab dropped: still online within the reconnect grace, but not reachable.
        Assert.Equal(new RouterCounts(Connections: 5, TrackedUsers: 4, OnlineUsers: 4, ReachableUsers: 3, Conversations: 1, WaitingUsers: 1), counts);
        Assert.Equal(fixture.Router.ConnectionCount, counts.Connections);
    }
}
