using BlazorChat.Chat;

namespace BlazorChat.Tests.Chat;

/// <summary>"Seen": marks only for messages sent in the tab's own chat, told to the sender only, and hidden both ways when either turns receipts off.</summary>
public sealed class ChatRouterSeenTests
{
    private readonly RouterFixture _fixture = new();

    [Fact]
    public async Task MarkSeen_DeliveredMessage_TellsTheSenderOnly()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        pair.A.Send("one");
        pair.A.Send("two");
        await pair.BEvents.WaitForMessagesAsync(2);

        Assert.Equal(SeenResult.Marked, pair.B.MarkSeen(pair.ConversationId, 2));

        Assert.Equal(new MessagesSeen(pair.ConversationId, 2), await pair.AEvents.WaitForAsync<MessagesSeen>());
        await RouterFixture.UntilIdleAsync(pair.B);
        Assert.DoesNotContain(pair.BEvents.Events, e => e is MessagesSeen);
    }

    [Fact]
    public async Task MarkSeen_MessageNeverSent_IsRefused()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        pair.A.Send("one");

        Assert.Equal(SeenResult.NotSent, pair.B.MarkSeen(pair.ConversationId, 2));
        Assert.Equal(SeenResult.NotSent, pair.B.MarkSeen(pair.ConversationId, 0));
        Assert.Equal(SeenResult.NotSent, pair.B.MarkSeen(pair.ConversationId, long.MaxValue));
        await RouterFixture.UntilIdleAsync(pair.A);
        Assert.DoesNotContain(pair.AEvents.Events, e => e is MessagesSeen);
    }

    [Fact]
    public async Task MarkSeen_AnotherChat_IsRefused()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        var other = await _fixture.PairAsync("hira", "rushna");
        pair.A.Send("one");
        other.A.Send("one");

        Assert.Equal(SeenResult.NotInChat, other.B.MarkSeen(pair.ConversationId, 1));
        Assert.Equal(SeenResult.NotInChat, pair.B.MarkSeen(other.ConversationId, 1));
        await RouterFixture.UntilIdleAsync(pair.A);
        Assert.DoesNotContain(pair.AEvents.Events, e => e is MessagesSeen);
    }

    [Fact]
    public async Task MarkSeen_NotFurther_ChangesNothing()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        pair.A.Send("one");
        pair.A.Send("two");
        Assert.Equal(SeenResult.Marked, pair.B.MarkSeen(pair.ConversationId, 2));

        Assert.Equal(SeenResult.Unchanged, pair.B.MarkSeen(pair.ConversationId, 2));
        Assert.Equal(SeenResult.Unchanged, pair.B.MarkSeen(pair.ConversationId, 1));
        await pair.AEvents.WaitForAsync<MessagesSeen>();
        await RouterFixture.UntilIdleAsync(pair.A);
        Assert.Single(pair.AEvents.Events, e => e is MessagesSeen);
    }

    [Fact]
    public async Task MarkSeen_ANewTab_OpensWithThePartnersMark()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        pair.A.Send("one");
        pair.B.MarkSeen(pair.ConversationId, 1);

        var (tab, _) = _fixture.Connect("hamza");

        Assert.Equal(1, tab.Initial.Conversation!.PartnerSeen);
        Assert.Equal(0, _fixture.Connect("karam").Connection.Initial.Conversation!.PartnerSeen);
    }

    [Theory]
    [InlineData("hamza")]
    [InlineData("karam")]
    public async Task ReceiptsOff_EitherPerson_HidesSeenBothWays(string turnsOff)
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        _fixture.Router.SetReadReceipts(turnsOff, on: false);
        pair.A.Send("from hamza");
        pair.B.Send("from karam");

        Assert.Equal(SeenResult.ReceiptsOff, pair.B.MarkSeen(pair.ConversationId, 2));
        Assert.Equal(SeenResult.ReceiptsOff, pair.A.MarkSeen(pair.ConversationId, 2));

        await RouterFixture.UntilIdleAsync(pair.A);
        await RouterFixture.UntilIdleAsync(pair.B);
        Assert.DoesNotContain(pair.AEvents.Events, e => e is MessagesSeen { UpToSequence: > 0 });
        Assert.DoesNotContain(pair.BEvents.Events, e => e is MessagesSeen { UpToSequence: > 0 });
        Assert.Equal(0, _fixture.Connect("hamza").Connection.Initial.Conversation!.PartnerSeen);
    }

    [Fact]
    public async Task ReceiptsOff_DuringAChat_TakesSeenAwayFromBoth()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        pair.A.Send("one");
        pair.B.Send("two");
        pair.B.MarkSeen(pair.ConversationId, 2);
        pair.A.MarkSeen(pair.ConversationId, 2);
        await pair.AEvents.WaitForAsync<MessagesSeen>(e => e.UpToSequence == 2);
        await pair.BEvents.WaitForAsync<MessagesSeen>(e => e.UpToSequence == 2);

        var (aSince, bSince) = (pair.AEvents.Count, pair.BEvents.Count);
        _fixture.Router.SetReadReceipts("karam", on: false);

        await pair.AEvents.WaitForAsync<MessagesSeen>(e => e.UpToSequence == 0, since: aSince);
        await pair.BEvents.WaitForAsync<MessagesSeen>(e => e.UpToSequence == 0, since: bSince);
        Assert.False(_fixture.Router.ReadReceiptsOn("KARAM"));
        Assert.True(_fixture.Router.ReadReceiptsOn("hamza"));

        _fixture.Router.SetReadReceipts("karam", on: true);
        await pair.AEvents.WaitForAsync<MessagesSeen>(e => e.UpToSequence == 2, since: aSince);
    }
}
