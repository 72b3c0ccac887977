using BlazorChat.Calls;
using BlazorChat.Cluster;
using BlazorChat.Components.Calls;
using BlazorChat.Components.Chat;
using BlazorChat.Tests.Chat;

namespace BlazorChat.Tests.Components;

/// <summary>The call UI in each state, against the real router: ring, calling, in call, elsewhere, ended.</summary>
public sealed class CallPanelTests : ComponentTestContext
{
    private readonly BunitJSModuleInterop _module;

    public CallPanelTests()
    {
        _module = JSInterop.SetupModule("./js/calls.js");
        _module.Mode = JSRuntimeMode.Loose;
    }

    // `who`'s panel (hamza is the pair's A, karam its B), its session fed by that tab's router events.
    private IRenderedComponent<CallPanel> RenderPanel(ChatTab connection, EventRecorder events, CallSession session, string who)
    {
        foreach (var e in events.Events.OfType<CallEvent>())
        {
            session.Apply(e, who);
        }

        return Render<CallPanel>(p => p.Add(c => c.Connection, connection).Add(c => c.Session, session).Add(c => c.Me, who));
    }

    private static async Task<CallChanged> CallAsync(TabPair pair, CallKind kind = CallKind.Video)
    {
        Assert.Equal(CallResult.Ringing, await pair.A.StartCallAsync(pair.ConversationId, kind));
        return await pair.BEvents.WaitForAsync<CallChanged>();
    }

    [Fact]
    public async Task Incoming_ShowsTheRingDialog_AndRings_AndDeclineTellsTheCaller()
    {
        var pair = await Fixture.PairTabsAsync("hamza", "karam");
        await CallAsync(pair);
        var cut = RenderPanel(pair.B, pair.BEvents, new CallSession(), "karam");

        var dialog = cut.Find("[role=alertdialog]");
        Assert.Equal("hamza is calling (video)", cut.Find("[data-testid=call-ring]").TextContent);
        Assert.Equal(["Accept", "Decline"], dialog.QuerySelectorAll("button").Select(b => b.TextContent.Trim()));
        cut.WaitForAssertion(() => Assert.Single(_module.Invocations["ring"]));

        await cut.FindAll("button").Single(b => b.TextContent.Trim() == "Decline").ClickAsync(new());

        Assert.Equal(CallEndReason.Declined, (await pair.AEvents.WaitForAsync<CallEnded>()).Reason);
    }

    [Fact]
    public async Task Outgoing_ShowsCallingWithCancel_ConnectsAtOnce_AndCancelEndsTheRing()
    {
        var pair = await Fixture.PairTabsAsync("hamza", "karam");
        await CallAsync(pair);
        await pair.AEvents.WaitForAsync<CallChanged>();
        var cut = RenderPanel(pair.A, pair.AEvents, new CallSession(), "hamza");

        Assert.Equal("Calling karam…", cut.Find("[data-testid=call-status]").TextContent);
        cut.WaitForAssertion(() => Assert.Single(_module.Invocations["connect"]));
        await cut.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").ClickAsync(new());

        Assert.Equal(CallEndReason.Cancelled, (await pair.BEvents.WaitForAsync<CallEnded>()).Reason);
    }

    [Fact]
    public async Task Active_ShowsTheControls_ConnectingThenReconnecting_AndMuteToggles()
    {
        var pair = await Fixture.PairTabsAsync("hamza", "karam");
        var ring = await CallAsync(pair, CallKind.Voice);
        await pair.B.AcceptCallAsync(ring.CallId);
        await pair.BEvents.WaitForAsync<CallChanged>(c => c.Phase == CallPhase.Active);
        var cut = RenderPanel(pair.B, pair.BEvents, new CallSession(), "karam");

        string[] Buttons() => [.. cut.FindAll(".call-controls button").Select(b => b.TextContent.Trim())];
        Assert.Equal(["Mute", "Camera on", "Hang up"], Buttons());
        Assert.Equal("Connecting…", cut.Find("[data-testid=call-status]").TextContent);
        Assert.Contains("voice", cut.Find(".call-stage").ClassList);
        cut.WaitForAssertion(() => Assert.Single(_module.Invocations["connect"]));

        await cut.InvokeAsync(() => cut.Instance.ConnectionChanged(ring.CallId, "connected"));
        Assert.Empty(cut.FindAll("[data-testid=call-status]"));
        await cut.InvokeAsync(() => cut.Instance.ConnectionChanged(ring.CallId, "disconnected"));
        Assert.Equal("Reconnecting…", cut.Find("[data-testid=call-status]").TextContent);

        await cut.FindAll(".call-controls button").Single(b => b.TextContent.Trim() == "Mute").ClickAsync(new());
        Assert.Equal(["Unmute", "Camera on", "Hang up"], Buttons());
        Assert.Equal([true], _module.Invocations["setMuted"].Select(i => (bool)i.Arguments[0]!));

        await cut.InvokeAsync(() => cut.Instance.ConnectionLost(ring.CallId));
        Assert.Equal(CallEndReason.ConnectionLost, (await pair.AEvents.WaitForAsync<CallEnded>()).Reason);
    }

    [Fact]
    public async Task Active_SignalsFromTheModule_ReachThePartner_AndThePartnersReachTheModule()
    {
        var pair = await Fixture.PairTabsAsync("hamza", "karam");
        var ring = await CallAsync(pair);
        await pair.B.AcceptCallAsync(ring.CallId);
        await pair.AEvents.WaitForAsync<CallChanged>(c => c.Phase == CallPhase.Active);
        var session = new CallSession();
        var cut = RenderPanel(pair.A, pair.AEvents, session, "hamza");

        await cut.InvokeAsync(() => cut.Instance.Signal(ring.CallId, "Description", """{"type":"offer","sdp":"v=0"}"""));
        var relayed = await pair.BEvents.WaitForAsync<CallSignalReceived>();
        Assert.Equal("""{"type":"offer","sdp":"v=0"}""", relayed.Payload);

        await cut.InvokeAsync(() => session.DeliverAsync(new CallSignalReceived(ring.CallId, CallSignalKind.Candidate, "{}")));
        cut.WaitForAssertion(() => Assert.Equal("Candidate", _module.Invocations["signal"].Single().Arguments[1]));
    }

    [Fact]
    public async Task Elsewhere_SaysTheCallIsInAnotherTab()
    {
        var pair = await Fixture.PairTabsAsync("hamza", "karam");
        var (karamTab2, karamEvents2) = Fixture.Connect("karam");
        var ring = await CallAsync(pair);
        karamTab2.AcceptCall(ring.CallId);
        await pair.BEvents.WaitForAsync<CallChanged>(c => c.Phase == CallPhase.Elsewhere);

        var cut = RenderPanel(pair.B, pair.BEvents, new CallSession(), "karam");

        Assert.Equal("In a call with hamza in another tab", cut.Find("[data-testid=call-elsewhere]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[role=alertdialog]"));
        Assert.Empty(cut.FindAll("video"));
        _ = karamEvents2;
    }

    [Fact]
    public async Task Ended_ShowsWhatHappened_AndOwnBlockedCameraSaysWhatToAllow()
    {
        var pair = await Fixture.PairTabsAsync("hamza", "karam");
        var ring = await CallAsync(pair);
        await pair.B.DeclineCallAsync(ring.CallId);
        await pair.AEvents.WaitForAsync<CallEnded>();

        var cut = RenderPanel(pair.A, pair.AEvents, new CallSession(), "hamza");
        Assert.Equal("karam declined", cut.Find("[data-testid=call-notice]").TextContent.Trim());

        var session = new CallSession { MediaProblem = CallSession.MediaProblemText("blocked", CallKind.Video) };
        var notice = CallSession.NoticeFor(new CallEnded(1, 2, CallKind.Video, "hamza", "karam", CallEndReason.MediaFailed, "hamza", null), "hamza", session.MediaProblem);
        Assert.StartsWith("Your browser blocked the camera and microphone. Allow Camera and Microphone for this site", notice!.Text, StringComparison.Ordinal);
        Assert.Equal(
            "hamza's camera or microphone could not start, so the call could not go on.",
            CallSession.NoticeFor(new CallEnded(1, 2, CallKind.Video, "hamza", "karam", CallEndReason.MediaFailed, "hamza", null), "karam")!.Text);
    }

    [Fact]
    public async Task ChatPanel_HasVoiceAndVideoCallButtons_ThatRingThePartner()
    {
        var pair = await Fixture.PairTabsAsync("hamza", "karam");
        var conversation = ChatViewState.From(await pair.A.GetSnapshotAsync()).Conversation!;
        var cut = Render<ChatPanel>(p => p
            .Add(c => c.Connection, pair.A)
            .Add(c => c.Conversation, conversation)
            .Add(c => c.Me, "hamza")
            .Add(c => c.MaxMessageLength, Router.MaxMessageLength)
            .Add(c => c.MaxMessageUnits, Router.MaxMessageUnits));

        Assert.NotNull(cut.Find("button[aria-label='Voice call']"));
        await cut.Find("button[aria-label='Video call']").ClickAsync(new());

        var ring = await pair.BEvents.WaitForAsync<CallChanged>();
        Assert.Equal((CallPhase.Incoming, CallKind.Video), (ring.Phase, ring.Kind));
    }
}
