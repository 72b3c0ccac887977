using BlazorChat.Chat;

namespace BlazorChat.Tests.Chat;

public sealed class ChatRouterTests
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

    [Fact]
    public async Task Send_ReachesPartnerOnlyInOrder()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        var (_, hiraEvents) = _fixture.Connect("hira");
        string[] texts = [.. Enumerable.Range(1, 50).Select(i => $"message {i}")];

        foreach (var text in texts)
        {
            Assert.Equal(SendStatus.Delivered, pair.A.Send(text).Status);
        }

        var received = await pair.BEvents.WaitForMessagesAsync(texts.Length);
        Assert.Equal(texts, received.Select(m => m.Text));
        Assert.All(received, m => Assert.Equal("hamza", m.Sender));
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), received.Select(m => m.Sequence));
        var echoed = await pair.AEvents.WaitForMessagesAsync(texts.Length);
        Assert.Equal(texts, echoed.Select(m => m.Text));
        // Hira's events arrive in order: once a request sent after the messages has reached her, so would they have.
        _fixture.Connect("rushna").Connection.Pick("hira");
        await hiraEvents.WaitForAsync<ChatRequestReceived>();
        Assert.DoesNotContain(hiraEvents.Events, e => e is MessageReceived);
    }

    [Fact]
    public async Task Send_BothWays_KeepsOneOrderForBoth()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");

        var sends = new[]
        {
            Task.Run(() => { for (var i = 0; i < 200; i++) { pair.A.Send($"a{i}"); } }),
            Task.Run(() => { for (var i = 0; i < 200; i++) { pair.B.Send($"b{i}"); } }),
        };
        await Task.WhenAll(sends);

        var atA = await pair.AEvents.WaitForMessagesAsync(400);
        var atB = await pair.BEvents.WaitForMessagesAsync(400);
        Assert.Equal(atA.Select(m => m.Text), atB.Select(m => m.Text));
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"a{i}"), atA.Where(m => m.Sender == "hamza").Select(m => m.Text));
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"b{i}"), atA.Where(m => m.Sender == "karam").Select(m => m.Text));
    }

    [Fact]
    public async Task Send_SeveralPairsAtOnce_NoMessageCrossesPairs()
    {
        var first = await _fixture.PairAsync("hamza", "karam");
        var second = await _fixture.PairAsync("hira", "rushna");

        first.A.Send("for karam");
        second.A.Send("for rushna");

        Assert.Equal("for karam", (await first.BEvents.WaitForMessagesAsync(1)).Single().Text);
        Assert.Equal("for rushna", (await second.BEvents.WaitForMessagesAsync(1)).Single().Text);
        Assert.DoesNotContain(first.BEvents.Messages, m => m.Text == "for rushna");
        Assert.DoesNotContain(second.BEvents.Messages, m => m.Text == "for karam");
    }

    [Fact]
    public void Send_WithoutAChat_IsRefused()
    {
        var (hamza, _) = _fixture.Connect("hamza");

        Assert.Equal(SendStatus.NotInChat, hamza.Send("hello").Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\n\t ")]
    [InlineData("\u200B")]
    [InlineData("\u2060\uFEFF \u200D")]
    [InlineData("\u202E\u200F")]
    [InlineData("\U000E0041\u0085")]
    public async Task Send_EmptyWhitespaceOrInvisibleOnly_IsIgnored(string text)
    {
        var pair = await _fixture.PairAsync("hamza", "karam");

        var result = pair.A.Send(text);

        Assert.Equal(SendStatus.Ignored, result.Status);
        Assert.Empty(pair.A.GetSnapshot().Conversation!.Messages);
    }

    [Fact]
    public async Task Send_OverTheLimit_IsRefusedAndNotDelivered()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");

        var atLimit = pair.A.Send(new string('x', 4000));
        var overLimit = pair.A.Send(new string('x', 4001));

        Assert.Equal(SendStatus.Delivered, atLimit.Status);
        Assert.Equal(SendStatus.TooLong, overLimit.Status);
        Assert.Single(pair.B.GetSnapshot().Conversation!.Messages);
    }

    [Fact]
    public async Task Send_LimitCountsEmojiAsOneCharacter()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        const string thumbsUp = "👍🏽"; // one text element, four UTF-16 units
        const string family = "👩‍👩‍👧‍👦"; // one text element, eleven UTF-16 units

        var atLimit = pair.A.Send(string.Concat(Enumerable.Repeat(thumbsUp, 4000)));
        var overLimit = pair.A.Send(string.Concat(Enumerable.Repeat(thumbsUp, 4001)));
        var families = pair.A.Send(string.Concat(Enumerable.Repeat(family, 1000)));

        Assert.Equal(SendStatus.Delivered, atLimit.Status);
        Assert.Equal(SendStatus.TooLong, overLimit.Status);
        Assert.Equal(SendStatus.Delivered, families.Status);
    }

    [Fact]
    public async Task Send_FewCharactersMadeOfThousandsOfCombiningMarks_IsRefused()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        var zalgo = "e" + new string('\u0301', 16_000);

        var result = pair.A.Send(zalgo);

        Assert.Equal(SendStatus.TooLong, result.Status);
        Assert.Equal(16_000, Router.MaxMessageUnits);
    }

    [Fact]
    public async Task Send_FewLettersPaddedWithThousandsOfInvisibleTagCharacters_IsRefused()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        // One text element of 7,995 code points (15,990 UTF-16 units): five characters to a reader, ~32 KB to the server.
        var padded = "hello" + string.Concat(Enumerable.Range(0, 7_990).Select(i => char.ConvertFromUtf32(0xE0020 + (i % 0x5F))));

        var result = pair.A.Send(padded);

        Assert.Equal(SendStatus.TooLong, result.Status);
        Assert.Empty(pair.B.GetSnapshot().Conversation!.Messages);
    }

    [Fact]
    public async Task Send_EmojiSequencesOfUpToTenCodePoints_CountAsOneCharacterEach()
    {
        // Ten characters allow 40 UTF-16 units.
        var fixture = new RouterFixture(new ChatOptions { LeaveGrace = TimeSpan.Zero, ReconnectGrace = TimeSpan.Zero, MaxMessageLength = 10, MaxMessagesPerSecond = 0 });
        var pair = await fixture.PairAsync("hamza", "karam");
        const string england = "🏴󠁧󠁢󠁥󠁮󠁧󠁿"; // a black flag and six tag characters: 7 code points, 14 units
        const string kiss = "👩🏻‍❤️‍💋‍👨🏼"; // 10 code points, 15 units
        var eleven = "e" + new string('\u0301', 10); // a letter with ten combining marks: 11 code points

        Assert.Equal(SendStatus.Delivered, pair.A.Send(england + kiss).Status); // 17 code points, 2 characters
        Assert.Equal(SendStatus.Delivered, pair.A.Send(eleven + "abcdefgh").Status); // counts as 2 + 8
        Assert.Equal(SendStatus.TooLong, pair.A.Send(eleven + "abcdefghi").Status); // counts as 2 + 9
    }

    [Fact]
    public async Task Send_RefusedAsTooLong_StillTakesFromTheRateLimit()
    {
        var fixture = new RouterFixture(new ChatOptions { LeaveGrace = TimeSpan.Zero, ReconnectGrace = TimeSpan.Zero, MaxMessagesPerSecond = 20 });
        var pair = await fixture.PairAsync("hamza", "karam");
        var tooLong = new string('x', 4001);

        var refused = Enumerable.Range(0, 20).Select(_ => pair.A.Send(tooLong).Status).ToList();
        var next = pair.A.Send("hello").Status;

        Assert.All(refused, status => Assert.Equal(SendStatus.TooLong, status));
        Assert.Equal(SendStatus.TooFast, next);
    }

    [Fact]
    public async Task Transcript_KeepsOnlyTheNewestMessagesWithinItsBytes()
    {
        var fixture = new RouterFixture(new ChatOptions { LeaveGrace = TimeSpan.Zero, ReconnectGrace = TimeSpan.Zero, TranscriptBytes = 64 * 1024, MaxMessagesPerSecond = 0 });
        var pair = await fixture.PairAsync("hamza", "karam");

        for (var i = 1; i <= 5; i++)
        {
            Assert.Equal(SendStatus.Delivered, pair.A.Send(string.Concat(Enumerable.Repeat("👍🏽", 4_000))).Status); // 32,000 bytes each
        }

        var kept = pair.B.GetSnapshot().Conversation!.Messages;
        Assert.Equal([4L, 5L], kept.Select(m => m.Sequence));
    }

    [Fact]
    public async Task Send_MarkupAndUnicode_ArriveExactlyAsTyped()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        const string text = "<script>alert('x')</script> مرحبا 👍🏽 e\u0301";

        pair.A.Send(text);

        Assert.Equal(text, (await pair.BEvents.WaitForMessagesAsync(1)).Single().Text);
    }

    [Theory]
    [InlineData("\u200Bhi")]
    [InlineData("\uFEFF\uFEFFstarts with two byte order marks")]
    [InlineData("\U0001F600")]
    [InlineData("\u0301")]
    [InlineData("\u06DD")]
    [InlineData("\U000110BD")]
    public async Task Send_WithAnythingVisible_IsDeliveredAsTyped(string text)
    {
        var pair = await _fixture.PairAsync("hamza", "karam");

        Assert.Equal(SendStatus.Delivered, pair.A.Send(text).Status);

        Assert.Equal(text, (await pair.BEvents.WaitForMessagesAsync(1)).Single().Text);
    }

    [Fact]
    public async Task Send_ControlCharacters_AreRemovedButNewlinesAndTabsKept()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");

        pair.A.Send("a\u0000b\u0007c\r\nd\te");

        Assert.Equal("abc\nd\te", (await pair.BEvents.WaitForMessagesAsync(1)).Single().Text);
    }

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
    public async Task Send_ThrowingSubscriber_DoesNotStopDeliveryToOthers()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        var throwing = Router.Connect("karam", _ => throw new InvalidOperationException("broken tab"));
        Router.Connect("karam", async _ => await Task.Delay(50));

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(SendStatus.Delivered, pair.A.Send($"m{i}").Status);
        }

        Assert.Equal(10, (await pair.BEvents.WaitForMessagesAsync(10)).Count);
        Assert.Equal(10, (await pair.AEvents.WaitForMessagesAsync(10)).Count);
        Assert.False(throwing.IsDisposed);
    }

    [Fact]
    public async Task Send_HangingSubscriber_DoesNotBlockTheSender()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        TaskCompletionSource never = new();
        Router.Connect("karam", _ => never.Task);

        var result = await Task.Run(() => pair.A.Send("hello")).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(SendStatus.Delivered, result.Status);
        Assert.Equal("hello", (await pair.BEvents.WaitForMessagesAsync(1)).Single().Text);
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

    [Fact]
    public void Connect_UnknownAccount_Throws()
    {
        Assert.Throws<ArgumentException>(() => Router.Connect("mallory", _ => Task.CompletedTask));
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
    public async Task Presence_FollowsOnlineWaitingInChatAndOffline()
    {
        var (hira, hiraEvents) = _fixture.Connect("hira");
        var (hamza, _) = _fixture.Connect("hamza");
        var (karam, _) = _fixture.Connect("karam");

        Assert.Equal([new("hamza", PresenceStatus.Online), new("karam", PresenceStatus.Online)], hira.FindPeople(null, 2).People);
        hamza.Pick("karam");
        Assert.Equal([new("hamza", PresenceStatus.Waiting), new("karam", PresenceStatus.Online)], hira.FindPeople(null, 2).People);
        karam.Pick("hamza");
        Assert.Equal([new("hamza", PresenceStatus.InChat), new("karam", PresenceStatus.InChat)], hira.FindPeople(null, 2).People);
        await RouterFixture.UntilIdleAsync(hira);
        var seen = hiraEvents.Count;
        hamza.Dispose();
        PersonStatus[] afterHamzaLeft = [new("karam", PresenceStatus.Online), new("hamza", PresenceStatus.Offline)];
        Assert.Equal(afterHamzaLeft, hira.FindPeople(null, 2).People);
        await hiraEvents.WaitForAsync<PeopleChanged>(since: seen); // told, so the list reads it again
    }

    [Fact]
    public async Task Transcript_KeepsOnlyTheNewestMessagesUpToTheLimit()
    {
        var fixture = new RouterFixture(new ChatOptions { LeaveGrace = TimeSpan.Zero, ReconnectGrace = TimeSpan.Zero, TranscriptLimit = 10, MaxMessagesPerSecond = 0 });
        var pair = await fixture.PairAsync("hamza", "karam");

        for (var i = 1; i <= 25; i++)
        {
            pair.A.Send($"m{i}");
        }

        var kept = pair.B.GetSnapshot().Conversation!.Messages;
        Assert.Equal(Enumerable.Range(16, 10).Select(i => $"m{i}"), kept.Select(m => m.Text));
        Assert.Equal(25, (await pair.BEvents.WaitForMessagesAsync(25)).Count);
    }

    [Fact]
    public async Task Send_FasterThanTheLimit_IsRefusedUntilTimeRefillsIt()
    {
        var fixture = new RouterFixture(new ChatOptions { LeaveGrace = TimeSpan.Zero, ReconnectGrace = TimeSpan.Zero, MaxMessagesPerSecond = 20 });
        var pair = await fixture.PairAsync("hamza", "karam");

        var burst = Enumerable.Range(0, 21).Select(i => pair.A.Send($"m{i}").Status).ToList();
        fixture.Time.Advance(TimeSpan.FromMilliseconds(100));
        var afterPause = Enumerable.Range(0, 3).Select(i => pair.A.Send($"later{i}").Status).ToList();

        Assert.Equal(Enumerable.Repeat(SendStatus.Delivered, 20).Append(SendStatus.TooFast), burst);
        Assert.Equal([SendStatus.Delivered, SendStatus.Delivered, SendStatus.TooFast], afterPause);
        var received = await pair.BEvents.WaitForMessagesAsync(22);
        Assert.Equal(22, received.Count);
        Assert.DoesNotContain(received, m => m.Text is "m20" or "later2");
    }

    [Fact]
    public async Task Send_Limit_IsSharedByAllTabsOfAUser()
    {
        var fixture = new RouterFixture(new ChatOptions { LeaveGrace = TimeSpan.Zero, ReconnectGrace = TimeSpan.Zero, MaxMessagesPerSecond = 5 });
        var pair = await fixture.PairAsync("hamza", "karam");
        var (secondTab, _) = fixture.Connect("hamza");

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(SendStatus.Delivered, (i % 2 == 0 ? pair.A : secondTab).Send($"m{i}").Status);
        }

        Assert.Equal(SendStatus.TooFast, secondTab.Send("one more").Status);
        Assert.Equal(SendStatus.Delivered, pair.B.Send("the partner has their own allowance").Status);
    }

    [Fact]
    public async Task Pick_FasterThanTheLimit_IsRefusedAndChangesNothingUntilTimeRefillsIt()
    {
        _fixture.Options.MaxPicksPerMinute = 3;
        var (hamza, _) = _fixture.Connect("hamza");
        var (otherTab, _) = _fixture.Connect("hamza");
        var (zara, zaraEvents) = _fixture.Connect("zara");
        Assert.Equal(PickResult.Waiting, hamza.Pick("karam"));
        Assert.Equal(PickResult.Waiting, otherTab.Pick("hira"));
        Assert.Equal(PickResult.Waiting, hamza.Pick("rushna"));

        var refused = otherTab.Pick("zara");

        Assert.Equal(PickResult.TooFast, refused);
        Assert.Equal("rushna", hamza.GetSnapshot().Pick);
        Assert.Empty(zara.GetSnapshot().IncomingRequests);
        Assert.Equal(PickResult.Waiting, hamza.Pick("rushna"));
        _fixture.Time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(PickResult.Waiting, hamza.Pick("zara"));
        Assert.Equal("hamza", (await zaraEvents.WaitForAsync<ChatRequestReceived>()).From);
    }

    [Fact]
    public void Pick_AnsweringARequest_IsNeverRefusedByTheLimit()
    {
        _fixture.Options.MaxPicksPerMinute = 1;
        var (hamza, _) = _fixture.Connect("hamza");
        var (karam, _) = _fixture.Connect("karam");
        Assert.Equal(PickResult.Waiting, hamza.Pick("hira"));
        Assert.Equal(PickResult.TooFast, hamza.Pick("zara"));
        Assert.Equal(PickResult.Waiting, karam.Pick("hamza"));

        var answer = hamza.Pick("karam");

        Assert.Equal(PickResult.Paired, answer);
        Assert.Equal("karam", hamza.GetSnapshot().Conversation?.Partner);
    }

    [Fact]
    public async Task Send_StampsTimeFromTheTimeProvider()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        _fixture.Time.Advance(TimeSpan.FromMinutes(5));

        var result = pair.A.Send("hi");

        Assert.Equal(_fixture.Time.GetUtcNow(), result.Message!.SentAt);
    }
}
