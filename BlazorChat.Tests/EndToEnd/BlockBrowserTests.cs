using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.Tests.EndToEnd;

/// <summary>Blocking in Chromium: two people, one blocks the other, who can then never pair and sees them offline.</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class BlockBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Blocked_CanNeverPair_SeesTheBlockerOffline_AndUnblockFromTheAccountPageRestores()
    {
        var (blockerName, blockerPassword) = BrowserFixture.Student(6);
        var (blockedName, blockedPassword) = BrowserFixture.Student(24);
        await using var blockerContext = await fixture.Browser.NewContextAsync();
        await using var blockedContext = await fixture.Browser.NewContextAsync();
        var blocker = await fixture.SignInAsync(blockerContext, blockerName, blockerPassword);
        var blocked = await fixture.SignInAsync(blockedContext, blockedName, blockedPassword);
        // Each searches for the other: once blocked, each is listed among the offline, past the first screenful.
        await blocker.GetByLabel("Search people").FillAsync(blockedName);
        await blocked.GetByLabel("Search people").FillAsync(blockerName);
        var blockedRow = blocker.Locator($"[data-user={blockedName}]");
        var blockerRow = blocked.Locator($"[data-user={blockerName}]");
        await Expect(blockerRow.Locator(".user-status")).ToHaveTextAsync("online");

        // A request that stands at the moment of the block vanishes from the blocker's list, and only there.
        await blocked.GetByRole(AriaRole.Button, new() { Name = $"Chat with {blockerName}" }).ClickAsync();
        await Expect(blockedRow.GetByTestId("wants-to-chat")).ToBeVisibleAsync();
        await blocker.GetByRole(AriaRole.Button, new() { Name = $"Block {blockedName}", Exact = true }).ClickAsync();

        await Expect(blockedRow.Locator(".user-status")).ToHaveTextAsync("blocked");
        await Expect(blockedRow.GetByTestId("wants-to-chat")).ToHaveCountAsync(0);
        await Expect(blocker.GetByRole(AriaRole.Button, new() { Name = $"Chat with {blockedName}" })).ToHaveCountAsync(0);
        await Expect(blockerRow.Locator(".user-status")).ToHaveTextAsync("offline");
        await Expect(blocked.GetByTestId("waiting")).ToContainTextAsync($"waiting for {blockerName}");

        // Asking again changes nothing for the blocker: no request, no chat.
        await blocked.GetByRole(AriaRole.Button, new() { Name = $"Withdraw request to {blockerName}" }).ClickAsync();
        await blocked.GetByRole(AriaRole.Button, new() { Name = $"Chat with {blockerName}" }).ClickAsync();
        await Expect(blocked.GetByTestId("waiting")).ToContainTextAsync($"waiting for {blockerName}");
        await Expect(blocker.GetByTestId("wants-to-chat")).ToHaveCountAsync(0);
        await Expect(blocker.GetByTestId("allowed-notice")).ToHaveCountAsync(0);
        await Expect(blocked.GetByTestId("allowed-notice")).ToHaveCountAsync(0);

        // The account menu's page lists them; Unblock there brings the standing request back, and they can pair.
        await Comforts.ComfortsBrowserActions.OpenAccountMenuAsync(blocker);
        await blocker.GetByRole(AriaRole.Link, new() { Name = "Blocked people" }).ClickAsync();
        await Expect(blocker.Locator($"[data-blocked={blockedName}]")).ToBeVisibleAsync();
        await blocker.GetByRole(AriaRole.Button, new() { Name = $"Unblock {blockedName}" }).ClickAsync();
        await Expect(blocker.GetByTestId("blocked-message")).ToHaveTextAsync($"You unblocked {blockedName}.");
        await Expect(blocker.GetByTestId("no-blocks")).ToBeVisibleAsync();

        await blocker.GotoAsync(fixture.Server.BaseAddress.ToString());
        await BrowserFixture.WaitUntilLiveAsync(blocker);
        await blocker.GetByLabel("Search people").FillAsync(blockedName);
        await Expect(blockedRow.GetByTestId("wants-to-chat")).ToBeVisibleAsync();
        await Expect(blockerRow.Locator(".user-status")).ToHaveTextAsync("online");
        await blocker.GetByRole(AriaRole.Button, new() { Name = $"Chat with {blockedName}" }).ClickAsync();
        await Expect(blocker.GetByTestId("allowed-notice")).ToBeVisibleAsync();
        await Expect(blocked.GetByTestId("allowed-notice")).ToBeVisibleAsync();
    }
}
