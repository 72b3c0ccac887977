using BlazorChat.Chat;
using BlazorChat.Cluster;
using BlazorChat.Components.Chat;

namespace BlazorChat.Tests.Components;

public sealed class ChatPanelTests : ComponentTestContext
{
    // hamza's panel in his chat with karam, after `messages` messages "message 1" … (even ones hamza's, odd karam's).
    private async Task<(IRenderedComponent<ChatPanel> Cut, Tests.Chat.PagePair Pair)> RenderChatAsync(int messages = 0)
    {
        var pair = await Fixture.PairPageAsync("hamza", "karam");
        for (var i = 1; i <= messages; i++)
        {
            if (i % 2 == 0)
            {
                await pair.A.SendAsync($"message {i}");
            }
            else
            {
                pair.B.Send($"message {i}");
            }
        }

        var cut = RenderPanel(pair.A, ChatViewState.From(await pair.A.GetSnapshotAsync()).Conversation!);
        return (cut, pair);
    }

    // hamza's panel for the conversation, with the router's limits, as ChatPage draws it.
    private IRenderedComponent<ChatPanel> RenderPanel(ChatTab connection, ConversationView conversation, TimeZoneInfo? timeZone = null) =>
        Render<ChatPanel>(p => p
            .Add(c => c.Connection, connection)
            .Add(c => c.Conversation, conversation)
            .Add(c => c.Me, "hamza")
            .Add(c => c.MaxMessageLength, Router.MaxMessageLength)
            .Add(c => c.MaxMessageUnits, Router.MaxMessageUnits)
            .Add(c => c.TimeZone, timeZone ?? TimeZoneInfo.Utc));

    [Fact]
    public async Task Render_ShowsPartnerNoticeAndALabelledMessageBox()
    {
        var (cut, _) = await RenderChatAsync();

        Assert.Equal("karam", cut.Find("[data-testid=chat-partner]").TextContent);
        Assert.Equal(ChatPanel.AllowedNotice, cut.Find("[data-testid=allowed-notice]").TextContent.Trim());
        Assert.Equal("Message", cut.Find("label[for=message-input]").TextContent);
        Assert.NotNull(cut.Find("button[aria-label=Send]"));
        Assert.Equal("16000", cut.Find("#message-input").GetAttribute("maxlength"));
    }

    [Fact]
    public async Task SendEvent_SendsTheTextItCarriesAndClearsTheBox()
    {
        var (cut, pair) = await RenderChatAsync();

        await cut.SendFromBoxAsync("hello");

        Assert.Equal("hello", (await pair.BEvents.WaitForMessagesAsync(1)).Single().Text);
        Assert.Equal("", cut.Find("#message-input").GetAttribute("value"));
    }

    [Fact]
    public async Task Send_FromAPanelWhoseChatEnded_WhileANewOneBegan_IsRefusedAndKeepsTheText()
    {
        var (cut, pair) = await RenderChatAsync();
        var (hira, _, _) = await Fixture.EndAndPairAgainAsync(pair, "hira");

        await cut.SendFromBoxAsync("meant for karam");

        Assert.Equal("This chat has ended; the message was not sent.", cut.Find("[data-testid=send-error]").TextContent);
        Assert.Equal("meant for karam", cut.Find("#message-input").GetAttribute("value"));
        Assert.Empty(hira.GetSnapshot().Conversation!.Messages);
        Assert.Empty(cut.FindAll("[data-sequence]"));
    }

    [Fact]
    public async Task EndButton_OfAPanelWhoseChatEnded_LeavesTheNewChatGoing()
    {
        var (cut, pair) = await RenderChatAsync();
        var (hira, _, current) = await Fixture.EndAndPairAgainAsync(pair, "hira");

        await cut.Find("button.chat-end").ClickAsync(new());

        Assert.Equal(current, hira.GetSnapshot().Conversation?.Id);
    }

    [Fact]
    public async Task TooLong_ShowsTheReasonAndKeepsTheText()
    {
        var (cut, pair) = await RenderChatAsync();
        var text = new string('x', 4001);

        await cut.SendFromBoxAsync(text);

        Assert.Equal("This message is longer than 4,000 characters. Shorten it and send again.", cut.Find("[data-testid=send-error]").TextContent);
        Assert.Equal(text, cut.Find("#message-input").GetAttribute("value"));
        Assert.Empty(pair.B.GetSnapshot().Conversation!.Messages);
    }

    [Fact]
    public async Task TooFast_ShowsANoticeAndKeepsTheText()
    {
        Fixture.Options.MaxMessagesPerSecond = 2;
        var (cut, pair) = await RenderChatAsync();

        foreach (var text in new[] { "one", "two", "three" })
        {
            await cut.SendFromBoxAsync(text);
        }

        Assert.Equal("You are sending messages very fast. Wait a moment, then press Enter again.", cut.Find("[data-testid=send-error]").TextContent);
        Assert.Equal("three", cut.Find("#message-input").GetAttribute("value"));
        Assert.Equal(["one", "two"], (await pair.BEvents.WaitForMessagesAsync(2)).Select(m => m.Text));
    }

    [Fact]
    public async Task SendAfterPartnerEnded_SaysSoAndKeepsTheText()
    {
        var (cut, pair) = await RenderChatAsync();
        pair.B.Send("@end");

        await cut.SendFromBoxAsync("are you there?");

        Assert.Equal("This chat has ended; the message was not sent.", cut.Find("[data-testid=send-error]").TextContent);
        Assert.Equal("are you there?", cut.Find("#message-input").GetAttribute("value"));
    }

    [Fact]
    public async Task EndChatButton_EndsTheChatForBoth()
    {
        var (cut, pair) = await RenderChatAsync();

        await cut.FindAll("button").Single(b => b.TextContent.Contains("End chat", StringComparison.Ordinal)).ClickAsync(new());

        var ended = await pair.BEvents.WaitForAsync<ChatEnded>();
        Assert.Equal("hamza", ended.EndedBy);
    }

    [Fact]
    public async Task Messages_UseAutoDirectionAndShowTheirTime()
    {
        var (_, pair) = await RenderChatAsync();
        pair.B.Send("مرحبا");
        var conversation = ChatViewState.From(await pair.A.GetSnapshotAsync()).Conversation!;

        var cut = RenderPanel(pair.A, conversation, TimeZoneInfo.FindSystemTimeZoneById("Asia/Karachi"));

        var message = cut.Find("[data-testid=message]");
        Assert.Equal("auto", message.QuerySelector(".message-text")!.GetAttribute("dir"));
        Assert.Equal("2026-11-24T09:00:00.0000000+00:00", message.QuerySelector("time")!.GetAttribute("datetime"));
        Assert.Equal("14:00", message.QuerySelector("time")!.TextContent);
        Fixture.Time.Advance(TimeSpan.FromDays(2));
        pair.B.Send("two days later");
        conversation.Messages.Add((await pair.AEvents.WaitForAsync<MessageReceived>(e => e.Message.Sequence == 2)).Message);
        conversation.LastSequence = 2;
        cut.Render();
        Assert.Equal("24 Nov 14:00", cut.Find("[data-testid=message] time").TextContent);
    }

    [Theory]
    [InlineData("\uFEFFstarts with a byte order mark")]
    [InlineData("\uFEFF\uFEFFtwo of them, and \uFEFF inside")]
    [InlineData("none at the start \uFEFF")]
    public async Task Messages_StartingWithZeroWidthNoBreakSpace_AreShownExactly(string text)
    {
        var (_, pair) = await RenderChatAsync();
        pair.B.Send(text);
        var conversation = ChatViewState.From(await pair.A.GetSnapshotAsync()).Conversation!;

        var cut = RenderPanel(pair.A, conversation);

        // A browser drops one leading mark of each string it is sent (see ChatMessages), so one more is drawn for it;
        // XssAndUnicodeTests checks what a browser shows.
        var drawn = text.StartsWith('\uFEFF') ? "\uFEFF" + text : text;
        Assert.Equal(drawn, cut.Find("[data-testid=message] .message-text").TextContent);
    }

    [Fact]
    public async Task LongChat_DrawsTheNewestHundredAndShowsEarlierOnRequest()
    {
        var (cut, _) = await RenderChatAsync(messages: 150);

        var shown = cut.FindAll("[data-testid=message] .message-text").Select(m => m.TextContent).ToList();
        Assert.Equal(ChatPanel.VisibleMessages, shown.Count);
        Assert.Equal("message 51", shown[0]);
        Assert.Equal("message 150", shown[^1]);

        cut.Find("[data-testid=show-earlier]").Click();

        Assert.Equal(150, cut.FindAll("[data-testid=message]").Count);
        Assert.Equal("message 1", cut.Find("[data-testid=message] .message-text").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=show-earlier]"));
    }

    [Fact]
    public async Task LongChatOfLongMessages_DrawsAQuarterMebibyteOfTextAtATime()
    {
        var pair = await Fixture.PairPageAsync("hamza", "karam");
        for (var i = 1; i <= 50; i++)
        {
            pair.B.Send(i.ToString("00", System.Globalization.CultureInfo.InvariantCulture) + new string('x', 3_998)); // 8,000 bytes
        }

        var cut = RenderPanel(pair.A, ChatViewState.From(await pair.A.GetSnapshotAsync()).Conversation!);

        // 262,144 bytes hold 32 such messages, fewer than the hundred a step draws of short ones.
        var shown = cut.FindAll("[data-testid=message] .message-text").Select(m => m.TextContent[..2]).ToList();
        Assert.Equal(32, shown.Count);
        Assert.Equal("19", shown[0]);
        Assert.Equal("50", shown[^1]);

        cut.Find("[data-testid=show-earlier]").Click();

        Assert.Equal(50, cut.FindAll("[data-testid=message]").Count);
        Assert.Empty(cut.FindAll("[data-testid=show-earlier]"));
    }

    [Fact]
    public async Task Send_RendersTheBoxOnceAndClearsIt_ASecondSendOnceMore()
    {
        var (cut, pair) = await RenderChatAsync();
        var compose = cut.FindComponent<ChatCompose>();
        var before = compose.RenderCount;

        await cut.SendFromBoxAsync("hello");
        Assert.Equal("hello", (await pair.BEvents.WaitForAsync<MessageReceived>()).Message.Text);
        Assert.Equal(before + 1, compose.RenderCount);
        Assert.Equal("", cut.Find("#message-input").GetAttribute("value"));

        // The same text again is a new message, and the box is drawn (cleared) again.
        await cut.SendFromBoxAsync("hello");
        Assert.Equal(2, (await pair.BEvents.WaitForMessagesAsync(2)).Count);
        Assert.Equal(before + 2, compose.RenderCount);
    }

    [Fact]
    public async Task NewMessage_DrawsTheListOnceOnlyWhenOneArrives_DroppingTheOldestOfAHundred()
    {
        var (cut, pair) = await RenderChatAsync(messages: 105);
        var conversation = cut.Instance.Conversation;
        var list = cut.FindComponent<ChatMessages>();
        var renders = list.RenderCount;

        // The panel telling the list to look again draws nothing while nothing new arrived.
        await cut.InvokeAsync(cut.Instance.MessagesChanged);
        Assert.Equal(renders, list.RenderCount);

        pair.B.Send("message 106");
        conversation.Messages.Add((await pair.AEvents.WaitForAsync<MessageReceived>(e => e.Message.Sequence == 106)).Message);
        conversation.LastSequence = 106;
        await cut.InvokeAsync(cut.Instance.MessagesChanged);

        Assert.Equal(renders + 1, list.RenderCount);
        var shown = cut.FindAll("[data-testid=message]");
        Assert.Equal(ChatPanel.VisibleMessages, shown.Count);
        Assert.Equal(Enumerable.Range(7, 100).Select(i => $"message {i}"), shown.Select(m => m.QuerySelector(".message-text")!.TextContent));
        Assert.Equal(["message mine", "message theirs", "message theirs"], shown.TakeLast(3).Select(m => m.GetAttribute("class")));
    }
}
