using BlazorChat.Chat;

namespace BlazorChat.Tests.Chat;

/// <summary>
/// Blocks in the real router: between two people with a block either way, requests are hidden, they never pair and
/// each sees the other offline; the blocked person gets no sign of it. (The database side: BlockServiceTests.)
/// </summary>
public sealed class ChatRouterBlockTests
{
    private readonly RouterFixture _fixture = new();

    private ChatRouter Router => _fixture.Router;

    private void Block(string blocker, string blocked)
    {
        Assert.Equal(BlockResult.Done, Router.ReserveBlockChange(blocker, blocked, block: true));
        Router.ApplyBlock(blocker, blocked);
    }

    private void Unblock(string blocker, string blocked)
    {
        Assert.Equal(BlockResult.Done, Router.ReserveBlockChange(blocker, blocked, block: false));
        Router.ApplyUnblock(blocker, blocked);
    }

    [Fact]
    public async Task Blocked_PicksAfterTheBlock_NeverPairsAndTheBlockerNeverHears()
    {
        var (hamza, hamzaEvents) = _fixture.Connect("hamza");
        var (karam, karamEvents) = _fixture.Connect("karam");
        Block("hamza", "karam");

        Assert.Equal(PickResult.Waiting, karam.Pick("hamza"));
        Assert.Equal(PickResult.Blocked, hamza.Pick("karam"));

        await RouterFixture.UntilIdleAsync(hamza);
        await RouterFixture.UntilIdleAsync(karam);
        Assert.DoesNotContain(hamzaEvents.Events, e => e is ChatRequestReceived or ChatStarted);
        Assert.DoesNotContain(karamEvents.Events, e => e is ChatStarted or ChatRequestWithdrawn);
        Assert.Empty(hamza.GetSnapshot().IncomingRequests);
        Assert.Equal("hamza", karam.GetSnapshot().Pick);
        Assert.Empty(Router.FindInvariantViolations());
    }

    [Fact]
    public async Task Blocked_WhosePickStoodBeforeTheBlock_KeepsItUnansweredAndNeverPairs()
    {
        var (hamza, hamzaEvents) = _fixture.Connect("hamza");
        var (karam, karamEvents) = _fixture.Connect("karam");
        Assert.Equal(PickResult.Waiting, karam.Pick("hamza"));
        await hamzaEvents.WaitForAsync<ChatRequestReceived>();

        Block("hamza", "karam");

        var blocked = await hamzaEvents.WaitForAsync<BlockChanged>();
        Assert.Equal(new BlockChanged("karam", true), blocked);
        Assert.Empty(hamza.GetSnapshot().IncomingRequests);
        Assert.Equal(PickResult.Blocked, hamza.Pick("karam"));
        await RouterFixture.UntilIdleAsync(karam);
        Assert.Equal("karam", karam.UserName);
        Assert.Equal("hamza", karam.GetSnapshot().Pick);
        Assert.DoesNotContain(karamEvents.Events, e => e is ChatRequestWithdrawn or BlockChanged or ChatStarted);

        // A new tab of hamza's does not show it either.
        var (hamza2, _) = _fixture.Connect("hamza");
        Assert.Empty(hamza2.Initial.IncomingRequests);
    }

    [Fact]
    public async Task Blocker_WhosePickStood_HasItWithdrawn()
    {
        var (hamza, hamzaEvents) = _fixture.Connect("hamza");
        var (karam, karamEvents) = _fixture.Connect("karam");
        Assert.Equal(PickResult.Waiting, hamza.Pick("karam"));

        Block("hamza", "karam");

        Assert.Null(hamza.GetSnapshot().Pick);
        await hamzaEvents.WaitForAsync<PickChanged>(e => e.Peer is null);
        await karamEvents.WaitForAsync<ChatRequestWithdrawn>(e => e.From == "hamza");
        Assert.Empty(karam.GetSnapshot().IncomingRequests);
        Assert.Equal(PickResult.Waiting, karam.Pick("hamza"));
        Assert.Null(karam.GetSnapshot().Conversation);
    }

    [Fact]
    public async Task Blocked_SeesTheBlockerOffline_InTheListInSearchAndStatus_AndTheBlockerSeesThemBlocked()
    {
        var (hamza, _) = _fixture.Connect("hamza");
        var (karam, _) = _fixture.Connect("karam");
        var (hira, _) = _fixture.Connect("hira");
        Assert.Equal(PresenceStatus.Online, karam.StatusOf("hamza"));

        Block("hamza", "karam");
        await RouterFixture.UntilIdleAsync(karam);

        Assert.Equal(PresenceStatus.Offline, karam.StatusOf("hamza"));
        Assert.Equal(PresenceStatus.Offline, hamza.StatusOf("karam"));
        Assert.Contains(new PersonStatus("hamza", PresenceStatus.Offline), karam.FindPeople(null, 20).People);
        Assert.Equal([new PersonStatus("hamza", PresenceStatus.Offline)], karam.FindPeople("HAM", 20).People);
        Assert.Contains(new PersonStatus("karam", PresenceStatus.Offline, Blocked: true), hamza.FindPeople(null, 20).People);
        Assert.Equal([new PersonStatus("karam", PresenceStatus.Offline, Blocked: true)], hamza.FindPeople("kar", 20).People);

        // Listed where the offline are: after everyone online.
        var order = karam.FindPeople(null, 20).People.Select(p => p.Name).ToList();
        Assert.True(order.IndexOf("hira") < order.IndexOf("hamza"));

        // Going into a chat with someone else shows nothing to the blocked one either.
        hamza.Pick("hira");
        hira.Pick("hamza");
        Assert.Equal(PresenceStatus.Offline, karam.StatusOf("hamza"));
        Assert.Equal(PresenceStatus.InChat, karam.StatusOf("hira"));
    }

    [Fact]
    public async Task Block_DuringTheirChat_EndsItForBothAsAnOrdinaryEnd()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");

        Block("hamza", "karam");

        var toKaram = await pair.BEvents.WaitForAsync<ChatEnded>();
        Assert.Equal(new ChatEnded(pair.ConversationId, "hamza", "hamza", ChatEndReason.Ended), toKaram);
        await pair.AEvents.WaitForAsync<ChatEnded>();
        Assert.Null(pair.A.GetSnapshot().Conversation);
        Assert.Null(pair.B.GetSnapshot().Conversation);
        Assert.Equal(PresenceStatus.Offline, pair.B.StatusOf("hamza"));
        Assert.Empty(Router.FindInvariantViolations());
    }

    [Fact]
    public async Task Unblock_RestoresPresenceAndTheStandingRequest_ThenThePairCanForm()
    {
        var (hamza, hamzaEvents) = _fixture.Connect("hamza");
        var (karam, _) = _fixture.Connect("karam");
        Block("hamza", "karam");
        Assert.Equal(PickResult.Waiting, karam.Pick("hamza"));

        Unblock("hamza", "karam");

        await hamzaEvents.WaitForAsync<BlockChanged>(e => !e.Blocked);
        await hamzaEvents.WaitForAsync<ChatRequestReceived>(e => e.From == "karam");
        Assert.Equal(["karam"], hamza.GetSnapshot().IncomingRequests);
        Assert.Equal(PresenceStatus.Waiting, hamza.StatusOf("karam"));
        Assert.Equal(PresenceStatus.Online, karam.StatusOf("hamza"));
        Assert.Equal(PickResult.Paired, hamza.Pick("karam"));
        Assert.Empty(Router.BlockedBy("hamza"));
    }

    [Fact]
    public void Block_BeyondTheCap_IsRefused()
    {
        string[] many = [.. Enumerable.Range(1, ChatRouter.MaxBlocksPerUser + 1).Select(i => $"student{i:000}"), "hamza"];
        var fixture = new RouterFixture(users: many);
        fixture.Router.LoadBlocks(many.Take(ChatRouter.MaxBlocksPerUser).Select(n => ("hamza", n)));

        Assert.Equal(BlockResult.TooMany, fixture.Router.ReserveBlockChange("hamza", many[ChatRouter.MaxBlocksPerUser], block: true));
        Assert.Equal(ChatRouter.MaxBlocksPerUser, fixture.Router.BlockedBy("hamza").Count);
        Assert.Equal(BlockResult.Done, fixture.Router.ReserveBlockChange("hamza", many[0], block: false));
    }

    [Fact]
    public void BlockChanges_FasterThanAllowed_AreRefusedUntilTheAllowanceRefills()
    {
        for (var i = 0; i < ChatRouter.MaxBlockChangesPerMinute; i++)
        {
            var block = i % 2 == 0;
            Assert.Equal(BlockResult.Done, Router.ReserveBlockChange("hamza", "karam", block));
            if (block)
            {
                Router.ApplyBlock("hamza", "karam");
            }
            else
            {
                Router.ApplyUnblock("hamza", "karam");
            }
        }

        Assert.Equal(BlockResult.TooFast, Router.ReserveBlockChange("hamza", "karam", block: true));
        _fixture.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(BlockResult.Done, Router.ReserveBlockChange("hamza", "karam", block: true));
    }

    [Fact]
    public void Block_OneselfOrTwice_ChangesNothing()
    {
        Assert.Equal(BlockResult.CannotBlockSelf, Router.ReserveBlockChange("hamza", "hamza", block: true));
        Block("hamza", "karam");
        Assert.Equal(BlockResult.AlreadyBlocked, Router.ReserveBlockChange("hamza", "karam", block: true));
        Assert.Equal(BlockResult.NotBlocked, Router.ReserveBlockChange("hamza", "hira", block: false));
    }
}
