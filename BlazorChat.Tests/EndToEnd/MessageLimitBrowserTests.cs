using static Microsoft.Playwright.Assertions;

namespace BlazorChat.Tests.EndToEnd;

[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class MessageLimitBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task HugePaste_IsCutAtTheBoxLimit_RefusedWithAReason_AndTheTabKeepsWorking()
    {
        await using var people = await fixture.SignInPairAsync(BrowserFixture.Student(1), BrowserFixture.Student(2));
        var (sender, partner) = (people.First, people.Second);
        var box = ChatBrowserActions.MessageBox(sender);

        // 120,000 characters as a paste would insert them: far beyond the 64 KB a circuit message may carry.
        await box.FocusAsync();
        await sender.Keyboard.InsertTextAsync(new string('x', 120_000));
        await box.PressAsync("Enter");

        await Expect(sender.GetByTestId("send-error")).ToHaveTextAsync("This message is longer than 4,000 characters. Shorten it and send again.");
        Assert.Equal(16_000, (await box.InputValueAsync()).Length);
        await box.FillAsync("still connected");
        await box.PressAsync("Enter");
        await Expect(partner.Locator(".message-text")).ToHaveTextAsync(["still connected"]);
        await Expect(sender.Locator("#components-reconnect-modal[open]")).ToHaveCountAsync(0);
    }
}
