using BlazorChat.Chat;
using BlazorChat.Components.Chat;
using BlazorChat.Tests.Chat;
using Microsoft.JSInterop;

namespace BlazorChat.Tests.Components;

public sealed class ChatPageTests : ComponentTestContext
{
    [Fact]
    public void Render_Interactive_ListsEveryOtherUserAndJoinsTheRouter()
    {
        var cut = RenderChatPage();

        var names = cut.FindAll(".user-row").Select(r => r.GetAttribute("data-user"));
        Assert.Equal(["hassaan", "hira", "karam", "rushna", "zara"], names);
        Assert.Equal("true", cut.Find(".chat-page").GetAttribute("data-interactive"));
        Assert.Equal(1, Router.ConnectionCount);
    }

    [Fact]
    public void Render_Prerendering_DoesNotJoinTheRouter()
    {
        SetRendererInfo(new RendererInfo("Static", false));

        var cut = Render<ChatPage>();

        Assert.Equal(0, Router.ConnectionCount);
        Assert.Equal("false", cut.Find(".chat-page").GetAttribute("data-interactive"));
        Assert.Contains("Connecting", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_RemovesTheRouterSubscription()
    {
        var (karam, karamEvents) = Fixture.Connect("karam");
        var cut = RenderChatPage();
        Assert.Equal(2, Router.ConnectionCount);
        await RouterFixture.UntilIdleAsync(karam);
        var seen = karamEvents.Count;

        await DisposeComponentsAsync();

        await RouterFixture.UntilAsync(() => Router.ConnectionCount == 1, "the page's tab closed");
        await karamEvents.WaitForAsync<PeopleChanged>(since: seen);
        Assert.Equal(PresenceStatus.Offline, karam.StatusOf("hamza"));
        _ = cut;
    }

    [Fact]
    public async Task ClickChat_SendsAStandingRequestAndShowsWaiting()
    {
        var (_, karamEvents) = Fixture.Connect("karam");
        var cut = RenderChatPage();

        await cut.ClickPeopleButtonAsync("Chat with karam");

        var request = await karamEvents.WaitForAsync<ChatRequestReceived>();
        Assert.Equal("hamza", request.From);
        cut.WaitForAssertion(() => Assert.Contains("waiting for karam", cut.Find("[data-testid=waiting]").TextContent, StringComparison.Ordinal));
        await cut.ClickPeopleButtonAsync("Withdraw request to karam");
        await karamEvents.WaitForAsync<ChatRequestWithdrawn>();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=waiting]")));
    }

    [Fact]
    public async Task ConnectionAwayPastTheGrace_WithARequestStanding_TheReturningTabNoLongerShowsWaiting_AndCanAnswer()
    {
        var (karam, karamEvents) = Fixture.Connect("karam");
        var cut = RenderChatPage();
        await cut.ClickPeopleButtonAsync("Chat with karam");
        cut.WaitForElement("[data-testid=waiting]");
        var circuit = Services.GetRequiredService<ChatCircuit>();

        // The fixture's graces are zero: the connection going down is the grace running out.
        await circuit.OnConnectionDownAsync(null!, CancellationToken.None);
        await karamEvents.WaitForAsync<ChatRequestWithdrawn>();
        await circuit.OnConnectionUpAsync(null!, CancellationToken.None);
        karam.Pick("hamza");

        cut.WaitForAssertion(() => Assert.Contains("wants to chat with you", cut.Find("[data-user=karam]").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=waiting]"));
        await cut.ClickPeopleButtonAsync("Chat with karam");
        cut.WaitForAssertion(() => Assert.Equal("karam", cut.Find("[data-testid=chat-partner]").TextContent));
    }

    [Fact]
    public async Task ConfiguredMessageLength_IsWhatTheBoxHoldsAndNamesWhenItRefuses()
    {
        Fixture.Options.MaxMessageLength = 10;
        var (karam, _) = Fixture.Connect("karam");
        karam.Pick("hamza");
        var cut = RenderChatPage();
        await cut.ClickPeopleButtonAsync("Chat with karam");
        cut.WaitForAssertion(() => Assert.Equal("karam", cut.Find("[data-testid=chat-partner]").TextContent));

        await cut.SendFromBoxAsync(new string('x', 11));

        Assert.Equal("40", cut.Find("#message-input").GetAttribute("maxlength"));
        Assert.Equal("This message is longer than 10 characters. Shorten it and send again.", cut.Find("[data-testid=send-error]").TextContent);
    }

    [Fact]
    public async Task BrowserGoneDuringTheTimeZoneAndTitleCalls_TheTabLivesOn()
    {
        var error = new JSDisconnectedException("gone");
        JSInterop.Setup<string?>("blazorChat.timeZone").SetException(error);
        JSInterop.SetupVoid("blazorChat.setTitle", _ => true).SetException(error);
        var (karam, _) = Fixture.Connect("karam");

        var cut = RenderChatPage();
        karam.Pick("hamza");

        cut.WaitForAssertion(() => Assert.Contains("wants to chat with you", cut.Find("[data-user=karam]").TextContent, StringComparison.Ordinal));
        await cut.ClickPeopleButtonAsync("Chat with karam");
        cut.WaitForAssertion(() => Assert.Equal("karam", cut.Find("[data-testid=chat-partner]").TextContent));
        Assert.True(JSInterop.Invocations["blazorChat.setTitle"].Count >= 2);
    }

    [Fact]
    public async Task TitleThatFailedToSet_IsSetAgainOnTheNextRender_ThoughItHasNotChanged()
    {
        JSInterop.SetupVoid("blazorChat.setTitle", _ => true).SetException(new JSDisconnectedException("gone"));

        // The first render sets the title and asks for the time zone, whose answer renders the page again.
        var cut = RenderChatPage();
        await cut.InvokeAsync(() => { }); // the second render's after-render work has run

        // Set on the first render (connecting), and again on each after it, though the title has not changed.
        var titles = JSInterop.Invocations["blazorChat.setTitle"].Select(i => i.Arguments[0]).ToList();
        Assert.True(titles.Count >= 2, $"the title was set {titles.Count} time(s)");
        Assert.All(titles, t => Assert.Equal("BlazorChat", t));
    }

    [Fact]
    public void IncomingRequest_IsShownOnThePickersRow()
    {
        var cut = RenderChatPage();
        var (karam, _) = Fixture.Connect("karam");

        karam.Pick("hamza");

        cut.WaitForAssertion(() =>
        {
            var row = cut.Find("[data-user=karam]");
            Assert.Contains("wants to chat with you", row.TextContent, StringComparison.Ordinal);
            Assert.Equal("Waiting", row.GetAttribute("data-status"));
        });
        Assert.Equal("karam", cut.FindAll(".user-row")[0].GetAttribute("data-user"));
    }

    [Fact]
    public void IncomingRequest_ShowsASnackbar_WhoseProviderTheTabBuildsOnlyThen()
    {
        var cut = RenderChatPage();
        var (karam, _) = Fixture.Connect("karam");
        cut.WaitForElement(".user-row");
        Assert.Empty(cut.FindComponents<MudBlazor.MudSnackbarProvider>());

        karam.Pick("hamza");

        cut.WaitForAssertion(() => Assert.Contains("karam wants to chat with you", cut.Find("#mud-snackbar-container").TextContent, StringComparison.Ordinal));
        Assert.Single(cut.FindComponents<MudBlazor.MudSnackbarProvider>());
    }

    [Fact]
    public async Task Title_FollowsRequestsThroughTheBrowserScript_NotThePageHead()
    {
        var cut = RenderChatPage();
        var (karam, _) = Fixture.Connect("karam");

        karam.Pick("hamza");

        cut.WaitForAssertion(() => Assert.Contains("wants to chat with you", cut.Find("[data-user=karam]").TextContent, StringComparison.Ordinal));
        await cut.InvokeAsync(() => { }); // the render's after-render work has run

        Assert.Equal(["BlazorChat", "(1) BlazorChat"], JSInterop.Invocations["blazorChat.setTitle"].Select(i => i.Arguments[0]));
        Assert.Empty(cut.FindComponents<PageTitle>());
    }

    [Fact]
    public async Task MutualPick_ShowsAllowedNoticeAndTheChat()
    {
        var (karam, karamEvents) = Fixture.Connect("karam");
        var cut = RenderChatPage();
        karam.Pick("hamza");

        cut.WaitForElement("button[aria-label='Chat with karam']");
        await cut.ClickPeopleButtonAsync("Chat with karam");

        await karamEvents.WaitForAsync<ChatStarted>();
        cut.WaitForAssertion(() =>
        {
            Assert.Equal("you are allowed to chat now", cut.Find("[data-testid=allowed-notice]").TextContent.Trim());
            Assert.Equal("karam", cut.Find("[data-testid=chat-partner]").TextContent);
        });
    }

    [Fact]
    public async Task MessagesBothWays_AreShownWithSenderAsText()
    {
        var (cut, karam, karamEvents) = await RenderPairedWithKaramAsync();

        karam.Send("<b>hi</b> <img src=x onerror=alert(1)>");
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=message]")));
        await cut.SendFromBoxAsync("hello karam");

        Assert.Equal("hello karam", (await karamEvents.WaitForAsync<MessageReceived>(e => e.Message.Sender == "hamza")).Message.Text);
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=message]").Count));
        var messages = cut.FindAll("[data-testid=message]");
        Assert.Equal("<b>hi</b> <img src=x onerror=alert(1)>", messages[0].QuerySelector(".message-text")!.TextContent);
        Assert.Empty(messages[0].QuerySelectorAll("b, img"));
        Assert.Equal("karam", messages[0].QuerySelector(".message-sender")!.TextContent);
        Assert.Equal("hamza", messages[1].QuerySelector(".message-sender")!.TextContent);
        Assert.Contains("mine", messages[1].ClassName, StringComparison.Ordinal);
        Assert.Equal("", cut.Find("#message-input").GetAttribute("value"));
    }

    [Fact]
    public async Task OwnMessage_IsDrawnWithTheSend_ItsCopyDrawsNothing_AndMessagesRedrawOnlyTheList()
    {
        var (cut, karam, karamEvents) = await RenderPairedWithKaramAsync();
        var list = cut.FindComponent<ChatMessages>();
        var compose = cut.FindComponent<ChatCompose>();
        var before = list.RenderCount;
        var (composeBefore, pageBefore) = (compose.RenderCount, cut.RenderCount);

        // Whichever comes first, the send's answer or the router's copy, draws the message; the other draws nothing.
        await cut.InvokeAsync(async () =>
        {
            await cut.SendFromBoxAsync("mine");
            Assert.Equal(["mine"], cut.FindAll("[data-testid=message] .message-text").Select(m => m.TextContent));
            Assert.Equal(before + 1, list.RenderCount);
        });

        // A message from karam, queued behind hamza's own copy, is drawn once; the copy drew nothing.
        await karamEvents.WaitForAsync<MessageReceived>(e => e.Message.Sender == "hamza");
        karam.Send("yours");
        cut.WaitForAssertion(() => Assert.Equal(["mine", "yours"], cut.FindAll("[data-testid=message] .message-text").Select(m => m.TextContent)));
        Assert.Equal(before + 2, list.RenderCount);
        // bUnit counts a render of anything inside the page as one of the page's: the list's and the box's are all there were.
        Assert.Equal(list.RenderCount - before + (compose.RenderCount - composeBefore), cut.RenderCount - pageBefore);
    }

    [Fact]
    public async Task TypingEnd_ReturnsBothToTheListAndSaysWhoEndedIt()
    {
        var (cut, karam, karamEvents) = await RenderPairedWithKaramAsync();

        cut.WaitForElement("#message-input");
        await cut.SendFromBoxAsync(" @END ");

        var ended = await karamEvents.WaitForAsync<ChatEnded>();
        Assert.Equal("hamza", ended.EndedBy);
        cut.WaitForAssertion(() => Assert.Equal("You ended the chat with karam.", cut.Find("[data-testid=notice]").TextContent.Trim()));
        Assert.NotEmpty(cut.FindAll(".user-row"));
        Assert.Empty(cut.FindAll("[data-testid=wants-to-chat]"));
        Assert.Null(karam.GetSnapshot().Conversation);
    }

    [Fact]
    public async Task PartnerEnds_ShowsWhoEndedIt()
    {
        var (cut, karam, karamEvents) = await RenderPairedWithKaramAsync();

        karam.Send("@end");

        cut.WaitForAssertion(() => Assert.Equal("karam ended the chat.", cut.Find("[data-testid=notice]").TextContent.Trim()));
    }

    [Fact]
    public async Task PartnerLeaves_ShowsThatTheyLeft()
    {
        var (cut, karam, karamEvents) = await RenderPairedWithKaramAsync();

        karam.Dispose();

        cut.WaitForAssertion(() => Assert.Equal("karam left. The chat has ended.", cut.Find("[data-testid=notice]").TextContent.Trim()));
    }

    [Fact]
    public async Task Render_DuringAChat_ShowsTheCurrentTranscript()
    {
        var pair = await Fixture.PairAsync("hamza", "karam");
        pair.A.Send("before the reload");
        pair.B.Send("welcome back");

        var cut = RenderChatPage();

        var texts = cut.FindAll(".message-text").Select(m => m.TextContent);
        Assert.Equal(["before the reload", "welcome back"], texts);
        Assert.Equal("karam", cut.Find("[data-testid=chat-partner]").TextContent);
    }

    [Fact]
    public async Task SignedOutElsewhere_NavigatesToSignIn()
    {
        var cut = RenderChatPage();
        var navigation = Services.GetRequiredService<NavigationManager>();

        Router.SignOut("hamza", "hamza-session");

        await Task.Run(() => cut.WaitForAssertion(() => Assert.EndsWith("/signin", navigation.Uri, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SignInEndedWhileTheTabIsOpen_TheTabLeavesForSignIn_AndTheUsersOtherSignInStays()
    {
        var (otherTabOfThisSignIn, otherTabEvents) = Fixture.Connect("hamza", "hamza-session");
        var (phone, phoneEvents) = Fixture.Connect("hamza", "hamza-phone");
        var cut = RenderChatPage();
        var navigation = Services.GetRequiredService<NavigationManager>();

        // What SessionRevalidatingStateProvider does when its check finds the session ended or expired.
        Authorization.SetNotAuthorized();

        await Task.Run(() => cut.WaitForAssertion(() => Assert.EndsWith("/signin", navigation.Uri, StringComparison.Ordinal)));
        await otherTabEvents.WaitForAsync<SignedOut>();
        Assert.Equal(1, Router.ConnectionCount);
        Assert.DoesNotContain(phoneEvents.Events, e => e is SignedOut);
        Assert.Equal(PickResult.Waiting, phone.Pick("karam"));
        Assert.Equal(PickResult.Disconnected, otherTabOfThisSignIn.Pick("karam"));
    }

    [Fact]
    public void Render_WithTheUsersTabLimitReached_SaysSoAndLeavesForThePlainPage_HoldingNoConnection()
    {
        Fixture.Options.MaxTabsPerUser = 2;
        Fixture.Connect("hamza");
        Fixture.Connect("hamza");
        var navigation = Services.GetRequiredService<NavigationManager>();

        var cut = RenderChatPage();

        Assert.Equal("You have too many BlazorChat tabs open (2). Close one, then reload.", cut.Find("[data-testid=refused]").TextContent);
        Assert.EndsWith("/too-many-tabs?reason=user", navigation.Uri, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll(".user-row"));
        Assert.Equal(2, Router.ConnectionCount);
    }

    [Fact]
    public async Task BurstOfSixtyStatusChanges_RedrawsThePeopleListAFewTimes_AndShowsTheLast()
    {
        Fixture.Options.PeopleRefreshInterval = TimeSpan.FromMilliseconds(500);
        var (karam, _) = Fixture.Connect("karam");
        var cut = RenderChatPage();
        var circuit = Services.GetRequiredService<ChatCircuit>();
        var list = cut.FindComponent<BlazorChat.Components.Users.UserList>();
        var before = list.RenderCount;

        // 30 requests and 30 withdrawals, 10 ms apart, each handled by the tab before the next.
        for (var i = 0; i < 60; i++)
        {
            Assert.True(i % 2 == 0 ? karam.Pick("hira") == PickResult.Waiting : karam.Withdraw());
            await UntilIdleAsync(circuit);
            Fixture.Time.Advance(TimeSpan.FromMilliseconds(10));
            await UntilIdleAsync(circuit);
        }

        Fixture.Time.Advance(TimeSpan.FromMilliseconds(500));

        cut.WaitForAssertion(() => Assert.Equal("online", cut.Find("[data-user=karam] .user-status").TextContent));
        await UntilIdleAsync(circuit);
        var renders = list.RenderCount - before;
        Assert.True(renders <= 3, $"{renders} people-list renders for 60 status changes in 600 ms");
    }

    [Fact]
    public async Task CircuitHandedAnotherSignIn_ClosesTheTabsConnection_AndLeavesForSignIn()
    {
        var (otherTab, _) = Fixture.Connect("hamza", "hamza-session");
        var cut = RenderChatPage();
        var navigation = Services.GetRequiredService<NavigationManager>();
        Assert.Equal(2, Router.ConnectionCount);

        // What Blazor does when a circuit is reconnected over another cookie: it hands the circuit that user.
        Authorization.SetAuthorized("karam");
        Authorization.SetClaims(new System.Security.Claims.Claim(BlazorChat.Accounts.AccountClaims.SessionId, "karam-session"));

        await Task.Run(() => cut.WaitForAssertion(() => Assert.EndsWith("/signin", navigation.Uri, StringComparison.Ordinal)));
        Assert.Equal(1, Router.ConnectionCount);
        Assert.Equal(PresenceStatus.Offline, Router.StatusOf("karam"));
        Assert.Equal(PickResult.Waiting, otherTab.Pick("hira"));
    }

    private static async Task UntilIdleAsync(ChatCircuit circuit)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await circuit.IsIdleAsync())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the tab still had events to handle after 10 s");
            await Task.Delay(1);
        }
    }

    /// <summary>Karam picks hamza, hamza picks karam on the page: the page shows the chat.</summary>
    private async Task<(IRenderedComponent<ChatPage> Cut, ChatConnection Karam, Tests.Chat.EventRecorder KaramEvents)> RenderPairedWithKaramAsync()
    {
        var (karam, karamEvents) = Fixture.Connect("karam");
        karam.Pick("hamza");
        var cut = RenderChatPage();
        await cut.ClickPeopleButtonAsync("Chat with karam");
        await karamEvents.WaitForAsync<ChatStarted>();
        cut.WaitForElement("#message-input");
        return (cut, karam, karamEvents);
    }
}
