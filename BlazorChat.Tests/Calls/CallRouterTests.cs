using BlazorChat.Calls;
using BlazorChat.Chat;
using BlazorChat.Tests.Chat;

namespace BlazorChat.Tests.Calls;

/// <summary>The call state machine in the real ChatRouter, with a fake clock: ring, answer, decline, cancel, time out, glare, end.</summary>
public sealed class CallRouterTests
{
    private static readonly CallOptions Options = new() { RingTimeout = TimeSpan.FromSeconds(60), MaxSignalChars = 2048, MaxSignalsPerSecond = 5, MaxCallsPerMinute = 3 };

    private readonly RouterFixture _fixture = new(callOptions: Options);

    [Fact]
    public async Task StartCall_RingsEveryTabOfTheCallee_AndShowsCallingOnTheCallersTab()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        var (karamTab2, karamEvents2) = _fixture.Connect("karam");
        var (hamzaTab2, hamzaEvents2) = _fixture.Connect("hamza");

        Assert.Equal(CallResult.Ringing, pair.A.StartCall(pair.ConversationId, CallKind.Video));

        var outgoing = await pair.AEvents.WaitForAsync<CallChanged>();
        Assert.Equal((CallPhase.Outgoing, "hamza", "karam", CallKind.Video), (outgoing.Phase, outgoing.Caller, outgoing.Callee, outgoing.Kind));
        Assert.Equal(CallPhase.Incoming, (await pair.BEvents.WaitForAsync<CallChanged>()).Phase);
        Assert.Equal(CallPhase.Incoming, (await karamEvents2.WaitForAsync<CallChanged>()).Phase);
        Assert.Equal(CallPhase.Elsewhere, (await hamzaEvents2.WaitForAsync<CallChanged>()).Phase);

        // A tab opened while it rings rings too.
        var (_, karamEvents3) = _fixture.Connect("karam");
        Assert.Equal(CallPhase.Incoming, (await karamEvents3.WaitForAsync<CallChanged>()).Phase);
        Assert.Equal(CallResult.Busy, hamzaTab2.StartCall(pair.ConversationId, CallKind.Voice));
        Assert.Equal(CallResult.NotInChat, karamTab2.StartCall(pair.ConversationId + 1, CallKind.Voice));
    }

    [Fact]
    public async Task AcceptCall_OnOneOfSeveralTabs_MakesItTheEnd_AndStopsTheOthersRinging()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        var (karamTab2, karamEvents2) = _fixture.Connect("karam");
        pair.A.StartCall(pair.ConversationId, CallKind.Voice);
        var ring = await karamEvents2.WaitForAsync<CallChanged>();

        Assert.Equal(CallResult.Joined, karamTab2.AcceptCall(ring.CallId));

        Assert.Equal(CallPhase.Active, (await karamEvents2.WaitForAsync<CallChanged>(c => c.AcceptedAt is not null)).Phase);
        Assert.Equal(CallPhase.Active, (await pair.AEvents.WaitForAsync<CallChanged>(c => c.AcceptedAt is not null)).Phase);
        Assert.Equal(CallPhase.Elsewhere, (await pair.BEvents.WaitForAsync<CallChanged>(c => c.AcceptedAt is not null)).Phase);

        // The tab that only rang is no end: it cannot answer again, hang up, or signal.
        Assert.Equal(CallResult.NotInCall, pair.B.AcceptCall(ring.CallId));
        Assert.Equal(CallResult.NotInCall, pair.B.HangUpCall(ring.CallId));
        Assert.Equal(CallResult.NotInCall, pair.B.SignalCall(ring.CallId, CallSignalKind.Candidate, "{}"));
    }

    [Fact]
    public async Task SignalCall_ReachesOnlyTheOtherEnd_AndStrangersAreRefused()
    {
        var (pair, callId) = await InCallAsync();
        var hira = await _fixture.PairAsync("hira", "zara");
        var (hamzaTab2, hamzaEvents2) = _fixture.Connect("hamza");

        Assert.Equal(CallResult.Done, pair.A.SignalCall(callId, CallSignalKind.Description, """{"type":"offer"}"""));
        var received = await pair.BEvents.WaitForAsync<CallSignalReceived>();
        Assert.Equal((callId, CallSignalKind.Description, """{"type":"offer"}"""), (received.CallId, received.Kind, received.Payload));

        // Someone in another chat, and the caller's own other tab, are refused, and nothing reaches karam.
        Assert.Equal(CallResult.NotInCall, hira.A.SignalCall(callId, CallSignalKind.Description, "{}"));
        Assert.Equal(CallResult.NotInCall, hamzaTab2.SignalCall(callId, CallSignalKind.Description, "{}"));
        Assert.Equal(CallResult.NotInCall, hira.A.HangUpCall(callId));
        Assert.Equal(CallResult.Done, pair.B.SignalCall(callId, CallSignalKind.Candidate, "{}"));
        await pair.AEvents.WaitForAsync<CallSignalReceived>();
        await RouterFixture.UntilIdleAsync(pair.B);
        Assert.Single(pair.BEvents.Events.OfType<CallSignalReceived>());
        Assert.Empty(hamzaEvents2.Events.OfType<CallSignalReceived>());
        Assert.DoesNotContain(pair.AEvents.Events.OfType<CallSignalReceived>(), s => s.Kind == CallSignalKind.Description);
    }

    [Fact]
    public async Task SignalCall_FromTheCallerWhileRinging_IsHeldForTheTabThatAnswers_Only()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        var (karamTab2, karamEvents2) = _fixture.Connect("karam");
        pair.A.StartCall(pair.ConversationId, CallKind.Video);
        var ring = await pair.BEvents.WaitForAsync<CallChanged>();

        Assert.Equal(CallResult.Done, pair.A.SignalCall(ring.CallId, CallSignalKind.Description, "offer"));
        Assert.Equal(CallResult.Done, pair.A.SignalCall(ring.CallId, CallSignalKind.Candidate, "candidate"));
        Assert.Equal(CallResult.NotInCall, pair.B.SignalCall(ring.CallId, CallSignalKind.Description, "{}"));
        await RouterFixture.UntilIdleAsync(pair.B);
        Assert.Empty(pair.BEvents.Events.OfType<CallSignalReceived>());

        karamTab2.AcceptCall(ring.CallId);

        await karamEvents2.WaitForAsync<CallSignalReceived>(s => s.Payload == "candidate");
        var toAnswering = karamEvents2.Events.SkipWhile(e => e is not CallChanged { Phase: CallPhase.Active }).ToList();
        Assert.Equal(["offer", "candidate"], toAnswering.OfType<CallSignalReceived>().Select(s => s.Payload));
        await RouterFixture.UntilIdleAsync(pair.B);
        Assert.Empty(pair.BEvents.Events.OfType<CallSignalReceived>());
    }

    [Fact]
    public async Task SignalCall_WhileRinging_IsBounded()
    {
        var fixture = new RouterFixture(callOptions: new CallOptions { RingTimeout = TimeSpan.FromMinutes(10), MaxSignalsPerSecond = 5 });
        var pair = await fixture.PairAsync("hamza", "karam");
        pair.A.StartCall(pair.ConversationId, CallKind.Video);
        var ring = await pair.BEvents.WaitForAsync<CallChanged>();

        var results = new List<CallResult>();
        for (var i = 0; i < 100; i++)
        {
            // A second apart, so that only the bound on what is held refuses.
            fixture.Time.Advance(TimeSpan.FromSeconds(1));
            results.Add(pair.A.SignalCall(ring.CallId, CallSignalKind.Candidate, new string('c', 1000)));
        }

        Assert.Equal(64, results.Count(r => r == CallResult.Done));
        Assert.All(results.Skip(64), r => Assert.Equal(CallResult.TooFast, r));
    }

    [Fact]
    public async Task SignalCall_TooLargeOrTooFast_IsRefused()
    {
        var (pair, callId) = await InCallAsync();

        Assert.Equal(CallResult.TooLarge, pair.A.SignalCall(callId, CallSignalKind.Description, new string('x', Options.MaxSignalChars + 1)));
        var results = Enumerable.Range(0, 2 * Options.MaxSignalsPerSecond + 1).Select(_ => pair.A.SignalCall(callId, CallSignalKind.Candidate, "{}")).ToList();
        Assert.All(results.Take(2 * Options.MaxSignalsPerSecond), r => Assert.Equal(CallResult.Done, r));
        Assert.Equal(CallResult.TooFast, results[^1]);

        _fixture.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(CallResult.Done, pair.A.SignalCall(callId, CallSignalKind.Candidate, "{}"));
        Assert.Equal(CallResult.Done, pair.B.SignalCall(callId, CallSignalKind.Candidate, "{}"));
    }

    [Fact]
    public async Task StartCall_TooOften_IsRefused()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        for (var i = 0; i < Options.MaxCallsPerMinute; i++)
        {
            Assert.Equal(CallResult.Ringing, pair.A.StartCall(pair.ConversationId, CallKind.Voice));
            var ring = await pair.AEvents.WaitForAsync<CallChanged>(since: pair.AEvents.Count);
            pair.A.HangUpCall(ring.CallId);
        }

        Assert.Equal(CallResult.TooFast, pair.A.StartCall(pair.ConversationId, CallKind.Voice));
    }

    [Fact]
    public async Task DeclineCall_TellsBoth_AndWritesOneLine()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        pair.A.StartCall(pair.ConversationId, CallKind.Video);
        var ring = await pair.BEvents.WaitForAsync<CallChanged>();

        Assert.Equal(CallResult.Done, pair.B.DeclineCall(ring.CallId));

        var ended = await pair.AEvents.WaitForAsync<CallEnded>();
        Assert.Equal((CallEndReason.Declined, "karam", (TimeSpan?)null), (ended.Reason, ended.EndedBy, ended.Duration));
        await pair.BEvents.WaitForAsync<CallEnded>();
        Assert.Equal("Declined video call", (await pair.AEvents.WaitForMessagesAsync(1)).Single().Text);
        Assert.Equal(ChatMessageKind.Call, (await pair.BEvents.WaitForMessagesAsync(1)).Single().Kind);
        Assert.Equal(CallResult.NotInCall, pair.B.AcceptCall(ring.CallId));
    }

    [Fact]
    public async Task HangUpCall_BeforeAnAnswer_IsACancel_AndAMissedCall()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        pair.A.StartCall(pair.ConversationId, CallKind.Voice);
        var ring = await pair.BEvents.WaitForAsync<CallChanged>();

        Assert.Equal(CallResult.NotInCall, pair.B.HangUpCall(ring.CallId));
        Assert.Equal(CallResult.Done, pair.A.HangUpCall(ring.CallId));

        Assert.Equal(CallEndReason.Cancelled, (await pair.BEvents.WaitForAsync<CallEnded>()).Reason);
        Assert.Equal("Missed voice call", (await pair.BEvents.WaitForMessagesAsync(1)).Single().Text);
    }

    [Fact]
    public async Task RingTimeout_WithNoAnswer_EndsTheCallAsMissed_ForBoth()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        pair.A.StartCall(pair.ConversationId, CallKind.Video);
        var ring = await pair.BEvents.WaitForAsync<CallChanged>();

        _fixture.Time.Advance(Options.RingTimeout - TimeSpan.FromSeconds(1));
        Assert.Empty(pair.AEvents.Events.OfType<CallEnded>());
        _fixture.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(CallEndReason.NoAnswer, (await pair.AEvents.WaitForAsync<CallEnded>()).Reason);
        Assert.Equal(CallEndReason.NoAnswer, (await pair.BEvents.WaitForAsync<CallEnded>()).Reason);
        Assert.Equal("Missed video call", (await pair.AEvents.WaitForMessagesAsync(1)).Single().Text);
        Assert.Equal(CallResult.NotInCall, pair.B.AcceptCall(ring.CallId));
    }

    [Fact]
    public async Task RingTimeout_AfterAnAnswer_EndsNothing()
    {
        var (pair, _) = await InCallAsync();

        _fixture.Time.Advance(Options.RingTimeout * 2);

        await RouterFixture.UntilIdleAsync(pair.A);
        Assert.Empty(pair.AEvents.Events.OfType<CallEnded>());
    }

    [Fact]
    public async Task StartCall_WhileThePartnersCallRings_MergesIntoOneAnsweredCall()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        Assert.Equal(CallResult.Ringing, pair.A.StartCall(pair.ConversationId, CallKind.Voice));

        Assert.Equal(CallResult.Joined, pair.B.StartCall(pair.ConversationId, CallKind.Video));

        var hamza = await pair.AEvents.WaitForAsync<CallChanged>(c => c.Phase == CallPhase.Active);
        var karam = await pair.BEvents.WaitForAsync<CallChanged>(c => c.Phase == CallPhase.Active);
        Assert.Equal(hamza.CallId, karam.CallId);
        Assert.Equal(CallKind.Video, karam.Kind);
        Assert.Equal(CallResult.Done, pair.A.SignalCall(hamza.CallId, CallSignalKind.Description, "{}"));
        Assert.Equal(CallResult.Done, pair.B.SignalCall(hamza.CallId, CallSignalKind.Description, "{}"));
    }

    [Fact]
    public async Task HangUpCall_FromEitherEnd_EndsForBoth_WithItsDuration()
    {
        foreach (var hangUpByCaller in new[] { true, false })
        {
            var fixture = new RouterFixture(callOptions: Options);
            var (pair, callId) = await InCallAsync(fixture);
            fixture.Time.Advance(TimeSpan.FromSeconds(151));

            Assert.Equal(CallResult.Done, (hangUpByCaller ? pair.A : pair.B).HangUpCall(callId));

            var ended = await pair.AEvents.WaitForAsync<CallEnded>();
            Assert.Equal((CallEndReason.HungUp, hangUpByCaller ? "hamza" : "karam", TimeSpan.FromSeconds(151)), (ended.Reason, ended.EndedBy, ended.Duration));
            Assert.Equal("Video call · 2:31", (await pair.BEvents.WaitForMessagesAsync(1)).Single().Text);
            Assert.Equal("Video call · 2:31", (await pair.AEvents.WaitForMessagesAsync(1)).Single().Text);
            Assert.Equal(CallResult.NotInCall, pair.A.SignalCall(callId, CallSignalKind.Candidate, "{}"));
            Assert.Equal("Video call · 2:31", pair.A.GetSnapshot().Conversation!.Messages.Single().Text);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EndChat_DuringRingingOrACall_EndsTheCall(bool answered)
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        pair.A.StartCall(pair.ConversationId, CallKind.Video);
        var ring = await pair.BEvents.WaitForAsync<CallChanged>();
        if (answered)
        {
            pair.B.AcceptCall(ring.CallId);
        }

        Assert.Equal(SendStatus.Ended, pair.B.Send("@end").Status);

        Assert.Equal(CallEndReason.ChatEnded, (await pair.AEvents.WaitForAsync<CallEnded>()).Reason);
        Assert.Equal(CallEndReason.ChatEnded, (await pair.BEvents.WaitForAsync<CallEnded>()).Reason);
        await pair.AEvents.WaitForAsync<ChatEnded>();
        Assert.True(pair.AEvents.Events.ToList().FindIndex(e => e is CallEnded) < pair.AEvents.Events.ToList().FindIndex(e => e is ChatEnded));
        _fixture.Time.Advance(Options.RingTimeout);
        Assert.Single(pair.AEvents.Events.OfType<CallEnded>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PartnerLeaving_DuringRingingOrACall_EndsTheCall(bool answered)
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        pair.A.StartCall(pair.ConversationId, CallKind.Voice);
        var ring = await pair.BEvents.WaitForAsync<CallChanged>();
        if (answered)
        {
            pair.B.AcceptCall(ring.CallId);
        }

        pair.B.Dispose();

        var ended = await pair.AEvents.WaitForAsync<CallEnded>();
        Assert.Equal("karam", ended.EndedBy);
        Assert.Equal(answered ? CallEndReason.TabClosed : CallEndReason.ChatEnded, ended.Reason);
        await pair.AEvents.WaitForAsync<ChatEnded>();
    }

    [Fact]
    public async Task SignOut_DuringACall_EndsIt()
    {
        var (pair, _) = await InCallAsync();

        _fixture.Router.SignOut("karam", sessionId: null);

        Assert.Equal("karam", (await pair.AEvents.WaitForAsync<CallEnded>()).EndedBy);
        await pair.AEvents.WaitForAsync<ChatEnded>();
    }

    [Fact]
    public async Task ReloadingTheCallersTab_WhileItRings_EndsTheCall_ButNotTheChat()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        var (hamzaTab2, _) = _fixture.Connect("hamza");
        pair.A.StartCall(pair.ConversationId, CallKind.Voice);
        await pair.BEvents.WaitForAsync<CallChanged>();

        pair.A.Dispose();

        Assert.Equal(CallEndReason.TabClosed, (await pair.BEvents.WaitForAsync<CallEnded>()).Reason);
        Assert.NotNull(hamzaTab2.GetSnapshot().Conversation);
        Assert.Equal(CallResult.Ringing, hamzaTab2.StartCall(pair.ConversationId, CallKind.Voice));
    }

    [Fact]
    public void CallOptionsValidator_NamesTheSetting_OfAnEmptyOrInvalidIceServer()
    {
        var validator = new CallOptionsValidator();
        var options = new CallOptions
        {
            IceServers = [new() { Urls = [] }, new() { Urls = ["http://example.com"] }, new() { Urls = ["turn:turn.example.com:3478"] }],
            RingTimeout = TimeSpan.Zero,
        };

        var failures = validator.Validate(null, options).Failures!.ToList();

        Assert.Contains(failures, f => f.StartsWith("Calls:IceServers:0:Urls is empty", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Calls:IceServers:1:Urls:0: 'http://example.com'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Calls:IceServers:2 is a TURN server with no credentials", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Calls:RingTimeout", StringComparison.Ordinal));
        Assert.True(validator.Validate(null, new CallOptions { IceServers = [new() { Urls = ["stun:127.0.0.1:3478"] }, new() { Urls = ["turns:t.example.com"] }], TurnSecret = "s" }).Succeeded);
    }

    [Fact]
    public void IceServers_MintShortLivedTurnCredentials_AfterCoturnsRestScheme()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var options = new CallOptions
        {
            IceServers = [new() { Urls = ["stun:stun.example.com"] }, new() { Urls = ["turn:turn.example.com:3478?transport=udp"] }],
            TurnSecret = "north",
            TurnCredentialLifetime = TimeSpan.FromMinutes(10),
        };

        var servers = new IceServers(Microsoft.Extensions.Options.Options.Create(options), time).For("hamza");

        Assert.Null(servers[0].Username);
        Assert.Equal("1800000600:hamza", servers[1].Username);

        // coturn's check: base64(HMAC-SHA1(static-auth-secret, username)), computed independently here.
        using var hmac = new System.Security.Cryptography.HMACSHA1("north"u8.ToArray());
        Assert.Equal(Convert.ToBase64String(hmac.ComputeHash("1800000600:hamza"u8.ToArray())), servers[1].Credential);
    }

    private Task<(Pair Pair, long CallId)> InCallAsync() => InCallAsync(_fixture);

    private static async Task<(Pair Pair, long CallId)> InCallAsync(RouterFixture fixture)
    {
        var pair = await fixture.PairAsync("hamza", "karam");
        Assert.Equal(CallResult.Ringing, pair.A.StartCall(pair.ConversationId, CallKind.Video));
        var ring = await pair.BEvents.WaitForAsync<CallChanged>();
        Assert.Equal(CallResult.Joined, pair.B.AcceptCall(ring.CallId));
        await pair.AEvents.WaitForAsync<CallChanged>(c => c.Phase == CallPhase.Active);
        return (pair, ring.CallId);
    }
}
