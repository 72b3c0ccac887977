using BlazorChat.Chat;
using BlazorChat.Components.Chat;
using BlazorChat.Tests.Chat;

namespace BlazorChat.Tests.Components;

/// <summary>hamza's chat page with karam: the typing line, what the message box signals, and "Seen".</summary>
public sealed class ChatTypingAndSeenTests : ComponentTestContext
{
    // hamza's page (visible or hidden, as the browser would say) in a chat with karam.
    private async Task<(IRenderedComponent<ChatPage> Cut, ChatConnection Karam, EventRecorder KaramEvents, long ConversationId)> ChatAsync(bool visible = true)
    {
        JSInterop.Setup<bool>("blazorChat.watchVisibility", _ => true).SetResult(visible);
        var (karam, karamEvents) = Fixture.Connect("karam");
        karam.Pick("hamza");
        var cut = RenderChatPage();
        await cut.ClickPeopleButtonAsync("Chat with karam");
        var started = await karamEvents.WaitForAsync<ChatStarted>();
        cut.WaitForAssertion(() => Assert.Equal("karam", cut.Find("[data-testid=chat-partner]").TextContent));
        return (cut, karam, karamEvents, started.ConversationId);
    }

    private static string TypingLine(IRenderedComponent<ChatPage> cut) => cut.Find("[data-testid=typing]").TextContent;

    [Fact]
    public async Task PartnerTyping_ShowsAPoliteLine_UntilTheirMessageArrives()
    {
        var (cut, karam, _, id) = await ChatAsync();
        Assert.Equal("", TypingLine(cut));
        Assert.Equal("polite", cut.Find("[data-testid=typing]").GetAttribute("aria-live"));

        karam.Typing(id);
        cut.WaitForAssertion(() => Assert.Equal("karam is typing…", TypingLine(cut)));

        karam.Send("hi");
        cut.WaitForAssertion(() => Assert.Equal("", TypingLine(cut)));
        Assert.Equal("hi", cut.FindAll("[data-testid=message] .message-text").Single().TextContent);
    }

    [Fact]
    public async Task PartnerTyping_WithoutASignalForTheTimeout_Clears()
    {
        var (cut, karam, _, id) = await ChatAsync();
        karam.Typing(id);
        cut.WaitForAssertion(() => Assert.Equal("karam is typing…", TypingLine(cut)));

        Fixture.Time.Advance(Fixture.Options.TypingTimeout);

        cut.WaitForAssertion(() => Assert.Equal("", TypingLine(cut)));
    }

    [Fact]
    public async Task TypingEvent_FromTheBox_TellsThePartner_WithoutRenderingTheBox()
    {
        var (cut, _, karamEvents, id) = await ChatAsync();
        var box = cut.FindComponent<ChatCompose>();
        var renders = box.RenderCount;
        Assert.Equal("3000", cut.Find("#message-input").GetAttribute("data-typing-interval"));

        await cut.Find("#message-input").TriggerEventAsync(ChatCompose.TypingEvent, EventArgs.Empty);

        Assert.Equal(new PartnerTyping(id, "hamza", true), await karamEvents.WaitForAsync<PartnerTyping>());
        Assert.Equal(renders, box.RenderCount);
    }

    [Fact]
    public async Task Seen_ShownUnderMyLastMessageThePartnerSaw_AndGoneWhenTheyTurnReceiptsOff()
    {
        var (cut, karam, karamEvents, id) = await ChatAsync();
        await cut.SendFromBoxAsync("one");
        await cut.SendFromBoxAsync("two");
        await karamEvents.WaitForMessagesAsync(2);
        Assert.Empty(cut.FindAll("[data-testid=seen]"));

        karam.MarkSeen(id, 1);
        cut.WaitForAssertion(() => Assert.Equal("one", cut.Find("[data-testid=seen]").ParentElement!.QuerySelector(".message-text")!.TextContent));
        karam.MarkSeen(id, 2);
        cut.WaitForAssertion(() => Assert.Equal("two", cut.Find("[data-testid=seen]").ParentElement!.QuerySelector(".message-text")!.TextContent));
        Assert.Single(cut.FindAll("[data-testid=seen]"));

        Router.SetReadReceipts("karam", on: false);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=seen]")));
    }

    [Fact]
    public async Task VisibleTab_MarksThePartnersMessagesSeen()
    {
        var (_, karam, karamEvents, id) = await ChatAsync(visible: true);

        karam.Send("are you there?");

        Assert.Equal(new MessagesSeen(id, 1), await karamEvents.WaitForAsync<MessagesSeen>());
    }

    [Fact]
    public async Task HiddenTab_MarksNothing_UntilItBecomesVisible()
    {
        var (cut, karam, karamEvents, id) = await ChatAsync(visible: false);
        karam.Send("are you there?");
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=message]")));
        await RouterFixture.UntilIdleAsync(karam);
        Assert.DoesNotContain(karamEvents.Events, e => e is MessagesSeen);

        await cut.InvokeAsync(() => cut.Instance.VisibilityChanged(true));

        Assert.Equal(new MessagesSeen(id, 1), await karamEvents.WaitForAsync<MessagesSeen>());
    }
}
