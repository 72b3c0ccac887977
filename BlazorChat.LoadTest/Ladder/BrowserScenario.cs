using System.Globalization;
using BlazorChat.LoadTest.Chat;
using Microsoft.Playwright;

namespace BlazorChat.LoadTest.Ladder;

/// <summary>
/// One pair in real Chromium: the time from the sender's Enter keydown to the text appearing in the partner's
/// DOM. Both pages run in one browser on this machine, so both read the same clock
/// (performance.timeOrigin + performance.now()): a capturing keydown listener stamps the sender's press, a
/// MutationObserver in the partner's page stamps the message's arrival. Playwright's evaluate runs them, which
/// the app's Content-Security-Policy (no inline script) does not stop.
/// </summary>
public static class BrowserScenario
{
    private const string Marker = "bm";

    /// <summary>Debian's Chromium unless BLAZORCHAT_CHROMIUM names another (Playwright cannot download browsers here).</summary>
    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("BLAZORCHAT_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static async Task<BrowserResult> RunAsync(Uri baseAddress, int senderNumber, int messages, CancellationToken cancellationToken)
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium was not found at {ChromiumPath} (apt-get install chromium, or set BLAZORCHAT_CHROMIUM).");
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            ],
        });
        await using var senderContext = await browser.NewContextAsync();
        await using var partnerContext = await browser.NewContextAsync();
        var (senderName, partnerName) = (Accounts.UserName(senderNumber), Accounts.UserName(senderNumber + 1));
        var sender = await SignInAsync(senderContext, baseAddress, senderNumber);
        var partner = await SignInAsync(partnerContext, baseAddress, senderNumber + 1);
        await PickAsync(sender, partnerName);
        await PickAsync(partner, senderName);
        await Assertions.Expect(sender.GetByTestId("allowed-notice")).ToBeVisibleAsync();
        await Assertions.Expect(partner.GetByTestId("allowed-notice")).ToBeVisibleAsync();

        await sender.EvaluateAsync("""
            () => {
              window.__keydowns = [];
              document.addEventListener('keydown', e => {
                if (e.key === 'Enter' && e.target && e.target.id === 'message-input') {
                  window.__keydowns.push([e.target.value, performance.timeOrigin + performance.now()]);
                }
              }, true);
            }
            """);
        await partner.EvaluateAsync("""
            marker => {
              window.__arrivals = {};
              const pattern = new RegExp(marker + '\\|(\\d+)\\|');
              new MutationObserver(records => {
                const now = performance.timeOrigin + performance.now();
                for (const record of records) {
                  for (const node of record.addedNodes) {
                    const match = pattern.exec(node.textContent || '');
                    if (match && !(match[1] in window.__arrivals)) { window.__arrivals[match[1]] = now; }
                  }
                }
              }).observe(document.body, { childList: true, subtree: true });
            }
            """, Marker);

        var recorder = new LatencyRecorder();
        var box = sender.Locator("#message-input");
        for (var i = 1; i <= messages; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var text = string.Create(CultureInfo.InvariantCulture, $"{Marker}|{i}| message {i}");
            await box.FillAsync(text);
            await box.PressAsync("Enter");
            await partner.WaitForFunctionAsync("n => n in window.__arrivals", i.ToString(CultureInfo.InvariantCulture),
                new PageWaitForFunctionOptions { Timeout = 15_000, PollingInterval = 5 });
            var pressed = await sender.EvaluateAsync<double>("i => window.__keydowns[i - 1][1]", i);
            var arrived = await partner.EvaluateAsync<double>("n => window.__arrivals[n]", i.ToString(CultureInfo.InvariantCulture));
            recorder.Record(TimeSpan.FromMilliseconds(arrived - pressed));
            await Task.Delay(100, cancellationToken);
        }

        return new BrowserResult(messages, recorder.Summarize());
    }

    private static async Task<IPage> SignInAsync(IBrowserContext context, Uri baseAddress, int number)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(baseAddress, "/").ToString());
        await page.GetByLabel("Username").FillAsync(Accounts.UserName(number));
        await page.GetByLabel("Password").FillAsync(Accounts.Password(number));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator(".chat-page[data-interactive=true]")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        return page;
    }

    /// <summary>Searches for peer first when the list has a search box (they may not be on the first page).</summary>
    private static async Task PickAsync(IPage page, string peer)
    {
        var search = page.GetByLabel(ChatPerson.SearchLabel);
        if (await search.CountAsync() > 0)
        {
            await search.FillAsync(peer);
        }

        await page.GetByRole(AriaRole.Button, new() { Name = $"Chat with {peer}" }).ClickAsync(new() { Timeout = 30_000 });
    }
}
