using BlazorChat.Chat;

namespace BlazorChat.Tests.Chat;

/// <summary>Ending a chat, by the end command or the end button, and what a tab still showing an ended chat can do.</summary>
public sealed class ChatRouterEndTests
{
    private readonly RouterFixture _fixture = new();

    private ChatRouter Router => _fixture.Router;

    [Theory]
    [InlineData("@end")]
    [InlineData("@END")]
    [InlineData("  @End \n")]
    [InlineData("@ end")]
    public async Task Send_EndCommand_EndsTheChatForBoth(string command)
    {
        var pair = await _fixture.PairAsync("hamza", "karam");

        var result = pair.A.Send(command);

        Assert.Equal(SendStatus.Ended, result.Status);
        var toKaram = await pair.BEvents.WaitForAsync<ChatEnded>();
        var toHamza = await pair.AEvents.WaitForAsync<ChatEnded>();
        Assert.Equal(("hamza", "hamza", ChatEndReason.Ended), (toKaram.Partner, toKaram.EndedBy, toKaram.Reason));
        Assert.Equal(("karam", "hamza"), (toHamza.Partner, toHamza.EndedBy));
        Assert.Null(pair.A.GetSnapshot().Conversation);
        Assert.Null(pair.B.GetSnapshot().Conversation);
        Assert.DoesNotContain(pair.BEvents.Messages, m => m.Text.Contains("end", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Send_AfterEnd_PassesNeitherWay()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        pair.B.Send("@end");

        Assert.Equal(SendStatus.NotInChat, pair.A.Send("still there?").Status);
        Assert.Equal(SendStatus.NotInChat, pair.B.Send("no").Status);
        await pair.AEvents.WaitForAsync<ChatEnded>();
        Assert.Empty(pair.AEvents.Messages);
    }

    [Fact]
    public async Task Send_ToAChatThatEnded_WhileANewOneBegan_IsRefusedAndReachesNoOne()
    {
        var old = await _fixture.PairAsync("hamza", "karam");
        var (_, hiraEvents, current) = await _fixture.EndAndPairAgainAsync(old, "hira");

        var late = old.A.Send("meant for karam", old.ConversationId);
        var endLate = old.A.Send("@end", old.ConversationId);

        Assert.Equal(SendStatus.NotInChat, late.Status);
        Assert.Equal(SendStatus.NotInChat, endLate.Status);
        Assert.Equal(current, old.A.GetSnapshot().Conversation!.Id);
        Assert.Empty(old.A.GetSnapshot().Conversation!.Messages);
        Assert.Equal(SendStatus.Delivered, old.A.Send("hello hira", current).Status);
        Assert.Equal(["hello hira"], (await hiraEvents.WaitForMessagesAsync(1)).Select(m => m.Text));
    }

    [Fact]
    public async Task End_OfAChatThatAlreadyEnded_LeavesTheNewChatGoing()
    {
        var old = await _fixture.PairAsync("hamza", "karam");
        var (hira, _, current) = await _fixture.EndAndPairAgainAsync(old, "hira");

        Assert.False(old.A.End(old.ConversationId));

        Assert.Equal(current, hira.GetSnapshot().Conversation?.Id);
        Assert.True(old.A.End(current));
        Assert.Null(hira.GetSnapshot().Conversation);
    }

    [Fact]
    public async Task End_LeavesBothFreeToPickAgain()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        var (hira, _) = _fixture.Connect("hira");

        Assert.True(pair.A.End());
        hira.Pick("hamza");
        var result = pair.A.Pick("hira");

        Assert.Equal(PickResult.Paired, result);
        Assert.Empty(Router.FindInvariantViolations());
    }
}
