using BlazorChat.Chat;

namespace BlazorChat.Tests.Chat;

/// <summary>"is typing…": told to the partner's tabs only, limited per person, ended by time, a message or the chat's end.</summary>
public sealed class ChatRouterTypingTests
{
    private readonly RouterFixture _fixture = new();

    [Fact]
    public async Task Typing_ReachesEveryTabOfThePartnerOnly()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        var (_, karamSecondTab) = _fixture.Connect("karam");
        var (_, hira) = _fixture.Connect("hira");

        Assert.Equal(TypingResult.Shown, pair.A.Typing(pair.ConversationId));

        var shown = await pair.BEvents.WaitForAsync<PartnerTyping>();
        Assert.Equal(new PartnerTyping(pair.ConversationId, "hamza", true), shown);
        await karamSecondTab.WaitForAsync<PartnerTyping>(e => e.IsTyping);
        // Events arrive in order: once a later request has reached hira, so would the typing notice have.
        _fixture.Connect("rushna").Connection.Pick("hira");
        await hira.WaitForAsync<ChatRequestReceived>();
        await RouterFixture.UntilIdleAsync(pair.A);
        Assert.DoesNotContain(hira.Events, e => e is PartnerTyping);
        Assert.DoesNotContain(pair.AEvents.Events, e => e is PartnerTyping);
    }

    [Fact]
    public async Task Typing_KeptUp_TellsThePartnerOnce()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(TypingResult.Shown, pair.A.Typing(pair.ConversationId));
            _fixture.Time.Advance(_fixture.Options.TypingInterval);
        }

        await RouterFixture.UntilIdleAsync(pair.B);
        Assert.Single(pair.BEvents.Events, e => e is PartnerTyping);
    }

    [Fact]
    public async Task Typing_FasterThanTheInterval_IsRefused()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");

        // A burst of two is taken (a signal delayed on the way), then one per interval.
        Assert.Equal(TypingResult.Shown, pair.A.Typing(pair.ConversationId));
        Assert.Equal(TypingResult.Shown, pair.A.Typing(pair.ConversationId));
        Assert.Equal(TypingResult.TooFast, pair.A.Typing(pair.ConversationId));
        _fixture.Time.Advance(_fixture.Options.TypingInterval / 2);
        Assert.Equal(TypingResult.TooFast, pair.A.Typing(pair.ConversationId));
        _fixture.Time.Advance(_fixture.Options.TypingInterval / 2);
        Assert.Equal(TypingResult.Shown, pair.A.Typing(pair.ConversationId));
    }

    [Fact]
    public async Task Typing_RefusedSignals_DoNotKeepTheNoticeUp()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        pair.A.Typing(pair.ConversationId);
        pair.A.Typing(pair.ConversationId);

        // A script signalling on every key press is refused each time, so the notice still ends on time.
        var timeout = _fixture.Options.TypingTimeout;
        for (var i = 0; i < 10; i++)
        {
            _fixture.Time.Advance(timeout / 20);
            Assert.Equal(TypingResult.TooFast, pair.A.Typing(pair.ConversationId));
        }

        _fixture.Time.Advance(timeout / 2);
        await pair.BEvents.WaitForAsync<PartnerTyping>(e => !e.IsTyping);
    }

    [Fact]
    public async Task Typing_WithoutASignalForTheTimeout_Ends()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        var (interval, timeout) = (_fixture.Options.TypingInterval, _fixture.Options.TypingTimeout);

        pair.A.Typing(pair.ConversationId);
        _fixture.Time.Advance(interval);
        pair.A.Typing(pair.ConversationId);            // keeps it up until interval + timeout
        _fixture.Time.Advance(timeout - TimeSpan.FromSeconds(1));

        await RouterFixture.UntilIdleAsync(pair.B);
        Assert.DoesNotContain(pair.BEvents.Events, e => e is PartnerTyping { IsTyping: false });

        _fixture.Time.Advance(TimeSpan.FromSeconds(1));
        var ended = await pair.BEvents.WaitForAsync<PartnerTyping>(e => !e.IsTyping);
        Assert.Equal(new PartnerTyping(pair.ConversationId, "hamza", false), ended);
    }

    [Fact]
    public async Task Typing_EndedByAMessage_PostsNoStopAndStartsAgainAtOnce()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        pair.A.Typing(pair.ConversationId);
        pair.A.Typing(pair.ConversationId);

        Assert.Equal(SendStatus.Delivered, pair.A.Send("hello").Status);
        _fixture.Time.Advance(_fixture.Options.TypingTimeout * 2);
        await pair.BEvents.WaitForMessagesAsync(1);
        await RouterFixture.UntilIdleAsync(pair.B);

        // The message itself ends the notice at karam's tabs; the router has nothing left to end.
        Assert.DoesNotContain(pair.BEvents.Events, e => e is PartnerTyping { IsTyping: false });
        var since = pair.BEvents.Count;
        Assert.Equal(TypingResult.Shown, pair.A.Typing(pair.ConversationId));
        await pair.BEvents.WaitForAsync<PartnerTyping>(e => e.IsTyping, since: since);
    }

    [Fact]
    public async Task Typing_EndedWithTheChat_PostsNothingMore()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        pair.A.Typing(pair.ConversationId);

        Assert.True(pair.B.End());
        _fixture.Time.Advance(_fixture.Options.TypingTimeout * 2);
        await pair.BEvents.WaitForAsync<ChatEnded>();
        await RouterFixture.UntilIdleAsync(pair.B);

        Assert.DoesNotContain(pair.BEvents.Events, e => e is PartnerTyping { IsTyping: false });
        Assert.Equal(TypingResult.NotInChat, pair.A.Typing(pair.ConversationId));
    }

    [Fact]
    public async Task Typing_ForAChatNotShown_IsRefused()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        var (hira, _) = _fixture.Connect("hira");

        Assert.Equal(TypingResult.NotInChat, pair.A.Typing(pair.ConversationId + 1));
        Assert.Equal(TypingResult.NotInChat, hira.Typing(pair.ConversationId));
        pair.A.Dispose();
        Assert.Equal(TypingResult.Disconnected, pair.A.Typing(pair.ConversationId));
        await RouterFixture.UntilIdleAsync(pair.B);
        Assert.DoesNotContain(pair.BEvents.Events, e => e is PartnerTyping);
    }
}
