using BlazorChat.Tests.EndToEnd;
using Microsoft.Playwright;
using static BlazorChat.Tests.Comforts.ComfortsBrowserActions;
using static BlazorChat.Tests.EndToEnd.ChatBrowserActions;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.Tests.Comforts;

/// <summary>
/// The unread count, notifications, dark mode and the layout on a phone and a desktop, in Chromium (js/comforts.js).
/// Students 30–40 of <see cref="BrowserFixture"/> are this folder's.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class ComfortsBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task HiddenTab_CountsNewMessagesAndRequestsInTheTitleAndIcon_AndClearsWhenSeen()
    {
        var (first, second, third) = (BrowserFixture.Student(31), BrowserFixture.Student(32), BrowserFixture.Student(33));
        await using var people = await fixture.SignInPairAsync(first, second);
        await using var thirdContext = await fixture.Browser.NewContextAsync();
        var requester = await fixture.SignInAsync(thirdContext, third.Name, third.Password);
        var plainIcon = await IconAsync(people.Second);
        await Expect(people.Second).ToHaveTitleAsync($"Chat with {first.Name} · BlazorChat");

        await SetHiddenAsync(people.Second, hidden: true);
        await SendAsync(people.First, "one");
        await SendAsync(people.First, "two");
        await Expect(people.Second).ToHaveTitleAsync($"(2) Chat with {first.Name} · BlazorChat");

        // A request counts too: the people list stays beside the chat on a wide screen.
        await requester.GetByRole(AriaRole.Button, new() { Name = $"Chat with {second.Name}" }).ClickAsync();
        await Expect(people.Second).ToHaveTitleAsync($"(3) Chat with {first.Name} · BlazorChat");
        Assert.StartsWith("data:image/svg+xml", await IconAsync(people.Second), StringComparison.Ordinal);

        // Messages the person sends from another tab of their own are not unread.
        await SendAsync(await OpenTabAsync(people.SecondContext, fixture.Server.BaseAddress), "from my other tab");
        await Expect(people.Second.Locator(".message-text").Last).ToHaveTextAsync("from my other tab");
        await Expect(people.Second).ToHaveTitleAsync($"(3) Chat with {first.Name} · BlazorChat");

        await SetHiddenAsync(people.Second, hidden: false);
        await Expect(people.Second).ToHaveTitleAsync($"Chat with {first.Name} · BlazorChat");
        Assert.Equal(plainIcon, await IconAsync(people.Second));
        await EndChatAsync(people.First);
    }

    [Fact]
    public async Task Notifications_OptedIn_ShowWhoSentAMessageARequestAndACall_WithoutTheTextUnlessAsked()
    {
        var (first, second, third) = (BrowserFixture.Student(34), BrowserFixture.Student(35), BrowserFixture.Student(36));
        BrowserNewContextOptions granted = new() { Permissions = ["notifications"] };
        await using var people = await fixture.SignInPairAsync(first, second, secondOptions: granted);
        await CaptureNotificationsAsync(people.Second);
        await using var thirdContext = await fixture.Browser.NewContextAsync();
        var requester = await fixture.SignInAsync(thirdContext, third.Name, third.Password);

        // Off until chosen: nothing is shown.
        await SetHiddenAsync(people.Second, hidden: true);
        await SendAsync(people.First, "before opting in");
        await Expect(people.Second.Locator(".message-text").Last).ToHaveTextAsync("before opting in");
        Assert.Empty(await NotificationsAsync(people.Second));

        await OpenAccountMenuAsync(people.Second);
        await people.Second.GetByLabel("Notify me").CheckAsync();
        await Expect(people.Second.GetByLabel("Notify me")).ToBeCheckedAsync();
        await people.Second.Keyboard.PressAsync("Escape");
        await Expect(people.Second.Locator("#account-menu")).ToBeHiddenAsync();
        await Expect(people.Second.Locator("#account-menu-button")).ToBeFocusedAsync();

        await SendAsync(people.First, "secret words");
        await requester.GetByRole(AriaRole.Button, new() { Name = $"Chat with {second.Name}" }).ClickAsync();
        await people.First.GetByRole(AriaRole.Button, new() { Name = "Voice call" }).ClickAsync();
        await Expect(people.Second.GetByTestId("call-ring")).ToBeVisibleAsync();
        await WaitForNotificationsAsync(people.Second, 3);
        var shown = await NotificationsAsync(people.Second);
        Assert.Contains(new Shown($"New message from {first.Name}", ""), shown);
        Assert.Contains(new Shown($"{third.Name} wants to chat with you", ""), shown);
        Assert.Contains(shown, n => n.Title.StartsWith($"{first.Name} is calling", StringComparison.Ordinal));
        Assert.DoesNotContain(shown, n => n.Body.Contains("secret", StringComparison.Ordinal));

        // The text is shown once asked for; the setting is remembered by this browser.
        await people.Second.ReloadAsync();
        await BrowserFixture.WaitUntilLiveAsync(people.Second);
        await CaptureNotificationsAsync(people.Second);
        await OpenAccountMenuAsync(people.Second);
        await Expect(people.Second.GetByLabel("Notify me")).ToBeCheckedAsync();
        await people.Second.GetByLabel("Show message text in notifications").CheckAsync();
        await SetHiddenAsync(people.Second, hidden: true);
        await SendAsync(people.First, "now you may read it");
        await WaitForNotificationsAsync(people.Second, 1);
        Assert.Equal([new Shown($"New message from {first.Name}", "now you may read it")], await NotificationsAsync(people.Second));
        await EndChatAsync(people.First);
    }

    [Fact]
    public async Task DarkMode_FollowsTheSystem_AndTheSwitchIsRememberedAcrossReloads()
    {
        await using var context = await fixture.Browser.NewContextAsync(new() { ColorScheme = ColorScheme.Dark });
        var (name, password) = BrowserFixture.Student(37);
        var page = await fixture.SignInAsync(context, name, password);
        var themeSwitch = page.GetByRole(AriaRole.Switch, new() { Name = "Dark mode" });

        await Expect(themeSwitch).ToHaveAttributeAsync("aria-checked", "true");
        Assert.True(await IsDarkAsync(page));
        Directory.CreateDirectory(BrowserFixture.ScreenshotDirectory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "people-dark.png") });

        await themeSwitch.ClickAsync();
        await Expect(themeSwitch).ToHaveAttributeAsync("aria-checked", "false");
        Assert.False(await IsDarkAsync(page));

        // The choice is drawn by the server on the next load, so the page never starts in the other theme.
        var reloaded = await page.ReloadAsync();
        Assert.Contains("data-theme=\"light\"", await reloaded!.TextAsync(), StringComparison.Ordinal);
        await Expect(themeSwitch).ToHaveAttributeAsync("aria-checked", "false");
        Assert.False(await IsDarkAsync(page));

        await themeSwitch.ClickAsync();
        Assert.True(await IsDarkAsync(page));
    }

    [Fact]
    public async Task Phone320AndZoom200_NothingCutOffOrScrollingSideways_AndDesktopShowsBothPanes()
    {
        BrowserNewContextOptions phone = new() { ViewportSize = new() { Width = 320, Height = 640 } };
        BrowserNewContextOptions desktop = new() { ViewportSize = new() { Width = 1280, Height = 800 } };
        await using var people = await fixture.SignInPairAsync(BrowserFixture.Student(38), BrowserFixture.Student(39), phone, desktop);

        await SendAsync(people.First, "A long line that must wrap on a narrow phone rather than push the page sideways");
        await AssertLayoutHoldsAsync(people.First);
        Directory.CreateDirectory(BrowserFixture.ScreenshotDirectory);
        await people.First.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "chat-320.png") });
        await people.Second.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "chat-two-panes.png") });
        await Expect(people.First.Locator(".users-panel")).ToBeHiddenAsync();

        // The desktop keeps the people list beside the chat.
        await Expect(people.Second.Locator(".users-panel")).ToBeVisibleAsync();
        await Expect(people.Second.Locator(".chat-panel")).ToBeVisibleAsync();
        var list = await people.Second.Locator(".users-panel").BoundingBoxAsync();
        var chat = await people.Second.Locator(".chat-panel").BoundingBoxAsync();
        Assert.True(list!.X + list.Width <= chat!.X, $"list {list.X}+{list.Width}, chat {chat.X}");

        // 200% zoom on a 1280 px screen leaves 640 CSS pixels: one pane, nothing cut off.
        await people.Second.SetViewportSizeAsync(640, 400);
        await Expect(people.Second.Locator(".users-panel")).ToBeHiddenAsync();
        await AssertLayoutHoldsAsync(people.Second);

        await EndChatAsync(people.First);
        await AssertLayoutHoldsAsync(people.First);
        await OpenAccountMenuAsync(people.First);
        await AssertLayoutHoldsAsync(people.First);
    }

    private static Task<string?> IconAsync(IPage page) => page.Locator("link[rel=icon]").GetAttributeAsync("href");

    private static Task<bool> IsDarkAsync(IPage page) => page.EvaluateAsync<bool>(
        """
        () => {
            const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number);
            return (r + g + b) / 3 < 64;
        }
        """);

    // The real Notification (and so the context's permission) decides; each one made is also written down.
    private static Task CaptureNotificationsAsync(IPage page) => page.EvaluateAsync(
        """
        () => {
            const Real = window.Notification;
            window.shownNotifications = [];
            window.Notification = class extends Real {
                constructor(title, options) {
                    super(title, options);
                    window.shownNotifications.push({ title, body: options?.body ?? "" });
                }
            };
        }
        """);

    private static Task WaitForNotificationsAsync(IPage page, int count) =>
        page.WaitForFunctionAsync("count => window.shownNotifications.length >= count", count);

    private static async Task<Shown[]> NotificationsAsync(IPage page) =>
        System.Text.Json.JsonSerializer.Deserialize<Shown[]>(
            await page.EvaluateAsync<string>("() => JSON.stringify(window.shownNotifications)"),
            new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)) ?? [];

    private sealed record Shown(string Title, string Body);
}

/// <summary>What the comforts' browser tests do to a page.</summary>
public static class ComfortsBrowserActions
{
    /// <summary>Makes the page believe its tab is hidden (or shown again), as switching tabs does.</summary>
    public static Task SetHiddenAsync(IPage page, bool hidden) => page.EvaluateAsync(
        """
        hidden => {
            Object.defineProperty(document, "visibilityState", { configurable: true, get: () => hidden ? "hidden" : "visible" });
            Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });
            document.dispatchEvent(new Event("visibilitychange"));
        }
        """, hidden);

    public static async Task OpenAccountMenuAsync(IPage page)
    {
        await page.Locator("#account-menu-button").ClickAsync();
        await Expect(page.Locator("#account-menu")).ToBeVisibleAsync();
    }

    /// <summary>
    /// What is wider than its box: the page than its window (a horizontal scroll), the fixed app bar's content than
    /// the bar, a part of the bar or the chat header than itself (cut off), or two of those parts on top of each
    /// other. Empty when the layout holds.
    /// </summary>
    public static async Task AssertLayoutHoldsAsync(IPage page)
    {
        var problems = await LayoutProblemsAsync(page);
        Assert.True(problems.Length == 0, string.Join("\n", problems));
    }

    public static Task<string[]> LayoutProblemsAsync(IPage page) => page.EvaluateAsync<string[]>(
        """
        () => {
            const name = e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.classList.length ? "." + [...e.classList].join(".") : "");
            const problems = [];
            const shown = [...document.querySelectorAll(".mud-toolbar > *, .chat-header > *")]
                .filter(e => e.getClientRects().length > 0 && e.getAttribute("aria-hidden") !== "true");
            for (const e of [document.documentElement, ...document.querySelectorAll(".mud-toolbar"), ...shown]) {
                if (e instanceof HTMLElement && e.scrollWidth - e.clientWidth > 0) {
                    problems.push(`${name(e)} is ${e.scrollWidth - e.clientWidth} px too wide`);
                }
            }

            const boxes = shown.map(e => [e, e.getBoundingClientRect()]);
            for (let i = 0; i < boxes.length; i++) {
                for (let j = i + 1; j < boxes.length; j++) {
                    const [[e, a], [f, b]] = [boxes[i], boxes[j]];
                    const width = Math.min(a.right, b.right) - Math.max(a.left, b.left);
                    const height = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
                    if (width > 1 && height > 1) {
                        problems.push(`${name(e)} and ${name(f)} overlap by ${Math.round(width)} px`);
                    }
                }
            }

            return problems;
        }
        """);
}
