using BlazorChat.Chat;

namespace BlazorChat.Tests.Chat;

/// <summary>Picking a person and withdrawing the pick: a request stands until answered, withdrawn or replaced; a mutual pick pairs.</summary>
public sealed class ChatRouterPickTests
{
    private readonly RouterFixture _fixture = new();

    private ChatRouter Router => _fixture.Router;

    [Fact]
    public async Task Pick_OneSided_DoesNotPairAndTellsPickedUser()
    {
        var (hamza, hamzaEvents) = _fixture.Connect("hamza");
        var (karam, karamEvents) = _fixture.Connect("karam");

        var result = hamza.Pick("karam");

        Assert.Equal(PickResult.Waiting, result);
        var request = await karamEvents.WaitForAsync<ChatRequestReceived>();
        Assert.Equal("hamza", request.From);
        var pick = await hamzaEvents.WaitForAsync<PickChanged>();
        Assert.Equal("karam", pick.Peer);
        Assert.Null(hamza.GetSnapshot().Conversation);
        Assert.Null(karam.GetSnapshot().Conversation);
        Assert.Equal(["hamza"], karam.GetSnapshot().IncomingRequests);
        Assert.DoesNotContain(karamEvents.Events, e => e is ChatStarted);
    }

    [Fact]
    public async Task Pick_Mutual_PairsAndTellsBoth()
    {
        var (hamza, hamzaEvents) = _fixture.Connect("hamza");
        var (karam, karamEvents) = _fixture.Connect("karam");

        hamza.Pick("karam");
        var result = karam.Pick("hamza");

        Assert.Equal(PickResult.Paired, result);
        var toHamza = await hamzaEvents.WaitForAsync<ChatStarted>();
        var toKaram = await karamEvents.WaitForAsync<ChatStarted>();
        Assert.Equal("karam", toHamza.Partner);
        Assert.Equal("hamza", toKaram.Partner);
        Assert.Equal(toHamza.ConversationId, toKaram.ConversationId);
        Assert.Equal("karam", hamza.GetSnapshot().Conversation?.Partner);
        Assert.Empty(Router.FindInvariantViolations());
    }

    [Fact]
    public void Pick_IgnoresCaseAndUsesStoredName()
    {
        var (hamza, _) = _fixture.Connect("hamza");
        var (karam, _) = _fixture.Connect("KARAM");

        hamza.Pick("Karam");
        var result = karam.Pick("HAMZA");

        Assert.Equal(PickResult.Paired, result);
        Assert.Equal("karam", karam.UserName);
        Assert.Equal("hamza", karam.GetSnapshot().Conversation?.Partner);
    }

    [Fact]
    public void Pick_UnknownUserOrSelf_IsRefusedAndChangesNothing()
    {
        var (hamza, _) = _fixture.Connect("hamza");

        Assert.Equal(PickResult.UnknownUser, hamza.Pick("mallory"));
        Assert.Equal(PickResult.UnknownUser, hamza.Pick(""));
        Assert.Equal(PickResult.CannotPickSelf, hamza.Pick("Hamza"));
        Assert.Null(hamza.GetSnapshot().Pick);
    }

    [Fact]
    public async Task Pick_WhileChatting_IsRefused()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");

        var result = pair.A.Pick("hira");

        Assert.Equal(PickResult.AlreadyInChat, result);
        Assert.Equal("karam", pair.A.GetSnapshot().Conversation?.Partner);
    }

    [Fact]
    public async Task Pick_Another_WithdrawsTheFirstRequest()
    {
        var (hamza, _) = _fixture.Connect("hamza");
        var (_, karamEvents) = _fixture.Connect("karam");
        var (hira, _) = _fixture.Connect("hira");

        hamza.Pick("karam");
        hamza.Pick("hira");

        var withdrawn = await karamEvents.WaitForAsync<ChatRequestWithdrawn>();
        Assert.Equal("hamza", withdrawn.From);
        Assert.Equal(["hamza"], hira.GetSnapshot().IncomingRequests);
        Assert.Equal("hira", hamza.GetSnapshot().Pick);
    }

    [Fact]
    public async Task Withdraw_RemovesTheRequestSoALaterPickDoesNotPair()
    {
        var (hamza, _) = _fixture.Connect("hamza");
        var (karam, karamEvents) = _fixture.Connect("karam");
        hamza.Pick("karam");

        Assert.True(hamza.Withdraw());
        var result = karam.Pick("hamza");

        await karamEvents.WaitForAsync<ChatRequestWithdrawn>(e => e.From == "hamza");
        Assert.Equal(PickResult.Waiting, result);
        Assert.Null(karam.GetSnapshot().Conversation);
        Assert.False(hamza.Withdraw());
    }

    [Fact]
    public async Task Withdraw_OfARequestNoLongerStanding_LeavesTheNewerPick()
    {
        var (hamza, _) = _fixture.Connect("hamza");
        var (otherTab, _) = _fixture.Connect("hamza");
        var (hira, hiraEvents) = _fixture.Connect("hira");
        hamza.Pick("karam");
        otherTab.Pick("hira");

        Assert.False(hamza.Withdraw("karam"));

        Assert.Equal("hira", hamza.GetSnapshot().Pick);
        Assert.Equal(["hamza"], hira.GetSnapshot().IncomingRequests);
        Assert.True(hamza.Withdraw("HIRA"));
        await hiraEvents.WaitForAsync<ChatRequestWithdrawn>(e => e.From == "hamza");
        Assert.Null(hamza.GetSnapshot().Pick);
    }

    [Fact]
    public void Pick_OfOfflineUser_StandsAndIsShownWhenTheyConnect()
    {
        var (hamza, _) = _fixture.Connect("hamza");

        var result = hamza.Pick("karam");
        var (karam, _) = _fixture.Connect("karam");

        Assert.Equal(PickResult.Waiting, result);
        Assert.Equal(["hamza"], karam.Initial.IncomingRequests);
        Assert.Equal(PickResult.Paired, karam.Pick("hamza"));
    }
}
