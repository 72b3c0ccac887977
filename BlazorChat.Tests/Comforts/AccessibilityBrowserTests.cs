using BlazorChat.Tests.EndToEnd;
using BlazorChat.Tests.Files;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static BlazorChat.Tests.EndToEnd.ChatBrowserActions;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.Tests.Comforts;

/// <summary>
/// axe-core audits every page and state a person meets (sign-in, people, a request, a chat with a file, typing and
/// Seen, a ringing call, the account menu, a blocked person, change password, blocked people, privacy, not found) in
/// the light and the dark theme: no violation may remain.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class AccessibilityBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task AxeCore_FindsNoViolation_OnAnyPageOrState_InEitherTheme()
    {
        List<string> violations = [];

        await using (var anonymous = await fixture.Browser.NewContextAsync())
        {
            var signIn = await anonymous.NewPageAsync();
            await signIn.GotoAsync(new Uri(fixture.Server.BaseAddress, "signin").ToString());
            await AuditAsync(signIn, "sign-in", violations);
        }

        var (first, second) = (BrowserFixture.Student(40), BrowserFixture.Student(30));
        await using var firstContext = await fixture.Browser.NewContextAsync();
        await using var secondContext = await fixture.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 390, Height = 844 } });
        var asker = await fixture.SignInAsync(firstContext, first.Name, first.Password);
        var asked = await fixture.SignInAsync(secondContext, second.Name, second.Password);
        await AuditAsync(asked, "people", violations);

        await asker.GetByRole(AriaRole.Button, new() { Name = $"Chat with {second.Name}" }).ClickAsync();
        await Expect(asker.GetByTestId("waiting")).ToBeVisibleAsync();
        await Expect(asked.Locator($"[data-user={first.Name}] [data-testid=wants-to-chat]")).ToBeVisibleAsync();
        await AuditAsync(asker, "people, waiting for a request", violations);
        await AuditAsync(asked, "people, a request", violations);

        await asked.GetByRole(AriaRole.Button, new() { Name = $"Chat with {first.Name}" }).ClickAsync();
        await Expect(asker.GetByTestId("allowed-notice")).ToBeVisibleAsync();
        await SendAsync(asker, "Hello there");
        await SendAsync(asked, "Hi!");
        await asker.GetByLabel("Send a file").SetInputFilesAsync(new FilePayload { Name = "dot.png", MimeType = "image/png", Buffer = TestImages.Png });
        await Expect(asked.Locator("[data-testid=file-card][data-status=Received]")).ToHaveCountAsync(1);
        await Expect(asker.Locator("[data-testid=file-card][data-status=Sent]")).ToHaveCountAsync(1);
        await MessageBox(asked).FillAsync("typing a reply");
        await Expect(asker.GetByTestId("typing")).ToHaveTextAsync($"{second.Name} is typing…");
        await Expect(asker.GetByTestId("seen")).ToBeVisibleAsync();
        await AuditAsync(asker, "chat with a file, typing, seen, two panes", violations);
        await AuditAsync(asked, "chat with a file, phone", violations);

        await ComfortsBrowserActions.OpenAccountMenuAsync(asker);
        await AuditAsync(asker, "account menu", violations);
        await asker.Keyboard.PressAsync("Escape");

        await asker.GetByRole(AriaRole.Button, new() { Name = "Voice call" }).ClickAsync();
        await Expect(asked.GetByTestId("call-ring")).ToBeVisibleAsync();
        await AuditAsync(asked, "call ringing", violations);
        await AuditAsync(asker, "call, calling", violations);

        await EndChatAsync(asker);
        await Expect(asker.GetByTestId("notice")).ToBeVisibleAsync();
        await AuditAsync(asker, "people, after a chat", violations);

        await asker.GetByLabel("Search people").FillAsync(second.Name);
        await asker.GetByRole(AriaRole.Button, new() { Name = $"Block {second.Name}" }).ClickAsync();
        await Expect(asker.GetByRole(AriaRole.Button, new() { Name = $"Unblock {second.Name}" })).ToBeVisibleAsync();
        await AuditAsync(asker, "people, someone blocked", violations);

        foreach (var (path, state) in new[] { ("account/password", "change password"), ("account/blocked", "blocked people"), ("account/privacy", "privacy") })
        {
            await asker.GotoAsync(new Uri(fixture.Server.BaseAddress, path).ToString());
            await AuditAsync(asker, state, violations);
        }

        await asker.GotoAsync(new Uri(fixture.Server.BaseAddress, "account/blocked").ToString());
        await asker.GetByRole(AriaRole.Button, new() { Name = $"Unblock {second.Name}" }).ClickAsync();
        await Expect(asker.GetByTestId("blocked-message")).ToBeVisibleAsync();
        await asker.GotoAsync(new Uri(fixture.Server.BaseAddress, "no-such-page").ToString());
        await AuditAsync(asker, "not found", violations);

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    /// <summary>Audits <paramref name="page"/> as it is, in the light theme and in the dark one (as the app bar's switch sets them).</summary>
    private static async Task AuditAsync(IPage page, string state, List<string> violations)
    {
        // Colours change with a transition (MudBlazor's buttons take 250 ms): axe would measure one half-way.
        await page.AddStyleTagAsync(new() { Content = "*, *::before, *::after { transition: none !important; animation: none !important; }" });
        foreach (var theme in new[] { "light", "dark" })
        {
            await page.EvaluateAsync("theme => document.documentElement.dataset.theme = theme", theme);
            var result = await page.RunAxe();
            violations.AddRange(result.Violations.Select(v =>
                $"{state} ({theme}): {v.Id}: {v.Help}: {string.Join(" | ", v.Nodes.Select(n => $"{n.Target} {n.Html} {string.Join("; ", n.Any.Concat(n.All).Select(c => c.Message))}"))}"));
        }

        await page.EvaluateAsync("() => delete document.documentElement.dataset.theme");
    }
}
