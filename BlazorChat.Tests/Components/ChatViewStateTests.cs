using BlazorChat.Chat;
using BlazorChat.Components.Chat;
using BlazorChat.Tests.Chat;

namespace BlazorChat.Tests.Components;

public sealed class ChatViewStateTests
{
    private readonly RouterFixture _fixture = new();

    [Fact]
    public async Task Apply_KeepsTheNewestMessagesWithinTheTranscriptsBytes_AsTheRouterDoes()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        var state = ChatViewState.From(pair.A.GetSnapshot(), maxMessages: 1000, maxBytes: 64 * 1024);

        for (var i = 1; i <= 5; i++)
        {
            state.Apply(new MessageReceived(pair.ConversationId, pair.B.Send(string.Concat(Enumerable.Repeat("👍🏽", 4_000))).Message!)); // 32,000 bytes
        }

        Assert.Equal([4L, 5L], state.Conversation!.Messages.Select(m => m.Sequence));
        Assert.Equal(64_000, state.Conversation.Bytes);
        Assert.False(state.NeedsResync);
    }

    [Fact]
    public async Task ShowSent_NextInOrder_IsShownOnce_TheRouterCopyAddsNothing()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        var state = ChatViewState.From(pair.A.GetSnapshot());

        var sent = pair.A.Send("mine").Message!;

        Assert.True(state.ShowSent(pair.ConversationId, sent));
        state.Apply(new MessageReceived(pair.ConversationId, sent));
        Assert.Equal(["mine"], state.Conversation!.Messages.Select(m => m.Text));
        Assert.False(state.NeedsResync);
    }

    [Fact]
    public async Task ShowSent_BehindAPartnersMessageStillOnItsWay_WaitsForItsCopy_AndOrderHoldsWithoutAResync()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        var state = ChatViewState.From(pair.A.GetSnapshot());
        var theirs = pair.B.Send("theirs").Message!;

        var mine = pair.A.Send("mine").Message!;

        Assert.False(state.ShowSent(pair.ConversationId, mine));
        Assert.Empty(state.Conversation!.Messages);
        state.Apply(new MessageReceived(pair.ConversationId, theirs));
        state.Apply(new MessageReceived(pair.ConversationId, mine));
        Assert.Equal(["theirs", "mine"], state.Conversation.Messages.Select(m => m.Text));
        Assert.False(state.NeedsResync);
    }

    [Fact]
    public async Task ShowSent_OfANewChat_IntoAViewStillShowingTheEndedOne_IsNotShown()
    {
        var old = await _fixture.PairAsync("hamza", "karam");
        var state = ChatViewState.From(old.A.GetSnapshot());
        var (_, _, current) = await _fixture.EndAndPairAgainAsync(old, "hira");
        var first = old.A.Send("hello hira", current).Message!;

        Assert.False(state.ShowSent(current, first));

        Assert.Equal(old.ConversationId, state.Conversation!.Id);
        Assert.Empty(state.Conversation.Messages);
    }
}
