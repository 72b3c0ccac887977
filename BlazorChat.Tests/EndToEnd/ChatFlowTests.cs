using Microsoft.Playwright;
using static BlazorChat.Tests.EndToEnd.ChatBrowserActions;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.Tests.EndToEnd;

[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class ChatFlowTests(BrowserFixture fixture)
{
    [Fact]
    public async Task TwoPeople_PickEachOther_ChatBothWays_AndEndWithAtEnd()
    {
        await using var hamzaContext = await fixture.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1024, Height = 720 } });
        await using var karamContext = await fixture.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 390, Height = 844 } });
        var hamza = await fixture.SignInAsync(hamzaContext, "hamza", "123");
        var karam = await fixture.SignInAsync(karamContext, "karam", "naveed");
        await Expect(hamza.GetByTestId("signed-in-user")).ToHaveTextAsync("hamza");

        // One-sided pick: a standing request, no chat yet.
        await hamza.GetByRole(AriaRole.Button, new() { Name = "Chat with karam" }).ClickAsync();
        await Expect(hamza.GetByTestId("waiting")).ToContainTextAsync("waiting for karam");
        await Expect(karam.Locator("[data-user=hamza] [data-testid=wants-to-chat]")).ToHaveTextAsync("wants to chat with you");
        await Expect(karam).ToHaveTitleAsync("(1) BlazorChat");
        await Expect(hamza.GetByTestId("allowed-notice")).ToHaveCountAsync(0);

        Directory.CreateDirectory(BrowserFixture.ScreenshotDirectory);
        await karam.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "users-phone.png") });

        // Mutual pick: both are told they may chat.
        await karam.GetByRole(AriaRole.Button, new() { Name = "Chat with hamza" }).ClickAsync();
        await Expect(hamza.GetByTestId("allowed-notice")).ToHaveTextAsync("you are allowed to chat now");
        await Expect(karam.GetByTestId("allowed-notice")).ToHaveTextAsync("you are allowed to chat now");
        await Expect(hamza.GetByTestId("chat-partner")).ToHaveTextAsync("karam");
        await Expect(hamza).ToHaveTitleAsync("Chat with karam · BlazorChat");

        // Messages both ways, in order, markup shown as text.
        await SendAsync(hamza, "Hello karam");
        await SendAsync(hamza, "<b>not bold</b>");
        await SendAsync(karam, "Hi hamza 👋");
        string[] expected = ["Hello karam", "<b>not bold</b>", "Hi hamza 👋"];
        await Expect(karam.Locator(".message-text")).ToHaveTextAsync(expected);
        await Expect(hamza.Locator(".message-text")).ToHaveTextAsync(expected);
        await Expect(karam.Locator(".message-text b")).ToHaveCountAsync(0);
        await Expect(karam.Locator("[data-testid=message]").First.Locator(".message-sender")).ToHaveTextAsync("hamza");
        await Expect(hamza.GetByLabel("Message", new() { Exact = true })).ToHaveValueAsync("");

        await hamza.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "chat-desktop.png") });
        await karam.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "chat-phone.png") });

        // @end ends it for both; both are back on the list and told who ended it.
        await TypeAndPressEnterAsync(karam, "@end");
        await Expect(hamza.GetByTestId("notice")).ToHaveTextAsync("karam ended the chat.");
        await Expect(karam.GetByTestId("notice")).ToHaveTextAsync("You ended the chat with hamza.");
        await Expect(hamza.GetByRole(AriaRole.Button, new() { Name = "Chat with karam" })).ToBeVisibleAsync();
        await Expect(karam.GetByRole(AriaRole.Button, new() { Name = "Chat with hamza" })).ToBeVisibleAsync();
        await Expect(karam.GetByTestId("wants-to-chat")).ToHaveCountAsync(0);
        await Expect(hamza.Locator("#message-input")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task PeopleList_OnlyItsButtonsReachTheServer()
    {
        await using var context = await fixture.Browser.NewContextAsync();
        var (name, password) = BrowserFixture.Student(5);
        var page = await fixture.SignInAsync(context, name, password);
        var eventsSent = await ChatBrowserActions.CountEventsSentAsync(page);
        await Expect(page.Locator(".user-row")).ToHaveCountAsync(20);

        // Clicks in the list that are not on one of its buttons say nothing to the server.
        await page.GetByRole(AriaRole.Heading, new() { Name = "People" }).ClickAsync();
        await page.Locator(".user-row .user-name").First.ClickAsync();
        await page.GetByTestId("more-people").ClickAsync();
        await page.WaitForTimeoutAsync(500);
        Assert.Equal(0, eventsSent());

        await page.GetByRole(AriaRole.Button, new() { Name = "Show more" }).ClickAsync();
        await Expect(page.Locator(".user-row")).ToHaveCountAsync(2 * BlazorChat.Components.Users.UserList.PageSize);
        Assert.Equal(1, eventsSent());
    }

    [Fact]
    public async Task MessageBox_ReachesTheServerOnEnterOrSend_AndWhileTypingOnlyOncePerTypingInterval()
    {
        await using var people = await fixture.SignInPairAsync(BrowserFixture.Student(20), BrowserFixture.Student(21));
        var (sender, partner) = (people.First, people.Second);
        var eventsSent = await ChatBrowserActions.CountEventsSentAsync(sender);
        var box = ChatBrowserActions.MessageBox(sender);

        // Key by key, then Shift+Enter and Escape: the text stays in the box; one typing signal (no text) reaches
        // the server for all the keys (Chat:TypingInterval is 3 s), nothing more.
        await box.PressSequentiallyAsync("hello");
        await box.PressAsync("Shift+Enter");
        await box.PressAsync("Escape");
        await Expect(partner.GetByTestId("typing")).ToHaveTextAsync("student20 is typing…");
        Assert.Equal(1, eventsSent());
        await Expect(box).ToHaveValueAsync("hello");

        await box.PressAsync("Enter");
        await Expect(ChatBrowserActions.MessageTexts(partner)).ToHaveTextAsync(["hello"]);
        await Expect(box).ToHaveValueAsync("");
        Assert.Equal(2, eventsSent());

        // A send restarts the wait: the next text typed is signalled at once, then sent.
        await box.FillAsync("by button");
        await sender.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Expect(ChatBrowserActions.MessageTexts(partner)).ToHaveTextAsync(["hello", "by button"]);
        await Expect(box).ToHaveValueAsync("");
        Assert.Equal(4, eventsSent());
    }

    [Fact]
    public async Task WrongPassword_ShowsOneGenericMessageAndStaysSignedOut()
    {
        await using var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(fixture.Server.BaseAddress, "/signin").ToString());

        await page.GetByLabel("Username").FillAsync("hira");
        await page.GetByLabel("Password").FillAsync("not-her-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.GetByTestId("signin-error")).ToHaveTextAsync("Invalid username or password");
        Directory.CreateDirectory(BrowserFixture.ScreenshotDirectory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "signin-error.png") });
        await Expect(page.GetByLabel("Username")).ToHaveValueAsync("hira");
        await Expect(page.GetByLabel("Password")).ToHaveValueAsync("");
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "BlazorChat.Auth");
        await page.GotoAsync(new Uri(fixture.Server.BaseAddress, "/").ToString());
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"));
    }

    [Fact]
    public async Task SignOut_EndsTheChatAndTellsThePartner()
    {
        await using var people = await fixture.SignInPairAsync(("hira", "najeeb"), ("rushna", "shah"));
        var (hira, rushna) = (people.First, people.Second);

        await rushna.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Expect(rushna).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin$"));
        await Expect(hira.GetByTestId("notice")).ToHaveTextAsync("rushna left. The chat has ended.");
        await Expect(hira.Locator("[data-user=rushna]")).ToHaveAttributeAsync("data-status", "Offline");
    }
}
