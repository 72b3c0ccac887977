using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.Tests.EndToEnd;

/// <summary>What a person does in the chat once signed in (sign-in and pairing are on <see cref="BrowserFixture"/>).</summary>
public static class ChatBrowserActions
{
    /// <summary>
    /// Reloads <paramref name="page"/> watching its circuit's socket, and returns how many UI events (Blazor's
    /// DispatchEventAsync) it has sent the server since.
    /// </summary>
    public static async Task<Func<int>> CountEventsSentAsync(IPage page)
    {
        var events = 0;
        page.WebSocket += (_, socket) => socket.FrameSent += (_, frame) =>
        {
            var payload = frame.Binary is { } bytes ? System.Text.Encoding.UTF8.GetString(bytes) : frame.Text ?? "";
            if (payload.Contains("DispatchEventAsync", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref events);
            }
        };
        await page.ReloadAsync();
        await BrowserFixture.WaitUntilLiveAsync(page);
        return () => Volatile.Read(ref events);
    }

    /// <summary>Another tab of a person already signed in in <paramref name="context"/> (the cookie is shared).</summary>
    public static async Task<IPage> OpenTabAsync(IBrowserContext context, Uri baseAddress)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(baseAddress, "/").ToString());
        await BrowserFixture.WaitUntilLiveAsync(page);
        return page;
    }

    public static ILocator MessageBox(IPage page) => page.GetByLabel("Message", new() { Exact = true });

    public static ILocator MessageTexts(IPage page) => page.Locator("[data-testid=message] .message-text");

    /// <summary>Types <paramref name="text"/> and presses Enter; returns once the server took it (the box is cleared).</summary>
    public static async Task SendAsync(IPage page, string text)
    {
        await TypeAndPressEnterAsync(page, text);
        try
        {
            await Expect(MessageBox(page)).ToHaveValueAsync("");
        }
        catch (PlaywrightException ex)
        {
            // Say why the server kept the text (its notice under the box), not only that it did.
            throw new PlaywrightException($"{ex.Message}\nUnder the box: {await page.Locator("#compose-help").TextContentAsync()}", ex);
        }
    }

    /// <summary>Types <paramref name="text"/> and presses Enter without waiting for anything (for "@end", which closes the box).</summary>
    public static async Task TypeAndPressEnterAsync(IPage page, string text)
    {
        var box = MessageBox(page);
        await box.FillAsync(text);
        await box.PressAsync("Enter");
    }

    /// <summary>Presses "End chat", so that no conversation outlives the test on a shared server.</summary>
    public static async Task EndChatAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "End chat" }).ClickAsync();
        await Expect(page.Locator("#message-input")).ToHaveCountAsync(0);
    }
}
