using BlazorChat.Tests.Comforts;
using Microsoft.Playwright;
using static BlazorChat.Tests.EndToEnd.ChatBrowserActions;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.Tests.EndToEnd;

/// <summary>"is typing…" reaches the partner only; "Seen" waits for the partner's tab to be visible and goes when either turns read receipts off.</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class TypingAndSeenBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Typing_PartnerSeesIsTyping_AThirdPersonDoesNot_AndTheMessageClearsIt()
    {
        var (writer, reader) = (BrowserFixture.Student(9), BrowserFixture.Student(10));
        await using var people = await fixture.SignInPairAsync(writer, reader);
        await using var thirdContext = await fixture.Browser.NewContextAsync();
        var (third, thirdPassword) = BrowserFixture.Student(11);
        var bystander = await fixture.SignInAsync(thirdContext, third, thirdPassword);

        await MessageBox(people.First).PressSequentiallyAsync("hel");

        var typing = people.Second.GetByTestId("typing");
        await Expect(typing).ToHaveTextAsync($"{writer.Name} is typing…");
        await Expect(typing).ToHaveAttributeAsync("aria-live", "polite");
        await Expect(people.First.GetByTestId("typing")).ToHaveTextAsync("");
        await Expect(bystander.GetByText("is typing")).ToHaveCountAsync(0);

        await MessageBox(people.First).PressSequentiallyAsync("lo");
        await MessageBox(people.First).PressAsync("Enter");
        await Expect(MessageTexts(people.Second)).ToHaveTextAsync(["hello"]);
        await Expect(typing).ToHaveTextAsync("");
        await EndChatAsync(people.First);
    }

    [Fact]
    public async Task Seen_AppearsOnlyOnceThePartnersTabIsVisible()
    {
        var (sender, reader) = (BrowserFixture.Student(14), BrowserFixture.Student(15));
        await using var people = await fixture.SignInPairAsync(sender, reader);
        await ComfortsBrowserActions.SetHiddenAsync(people.Second, true);

        // The tab's word that it is hidden and its send go to the server in order: once this arrives, the server
        // knows the tab is hidden (a message arriving in the same instant as the hiding may be marked seen).
        await SendAsync(people.Second, "brb");
        await Expect(MessageTexts(people.First)).ToHaveTextAsync(["brb"]);
        await SendAsync(people.First, "are you there?");
        await Expect(MessageTexts(people.Second)).ToHaveTextAsync(["brb", "are you there?"]);
        // The hidden tab answers: its reply reaches the sender after any mark the tab made on receiving the message.
        await SendAsync(people.Second, "typing blind");
        await Expect(MessageTexts(people.First)).ToHaveTextAsync(["brb", "are you there?", "typing blind"]);
        await Expect(people.First.GetByTestId("seen")).ToHaveCountAsync(0);

        await ComfortsBrowserActions.SetHiddenAsync(people.Second, false);

        var seen = people.First.GetByTestId("seen");
        await Expect(seen).ToHaveTextAsync("Seen");
        await Expect(people.First.Locator("[data-testid=message]", new() { Has = seen }).Locator(".message-text")).ToHaveTextAsync("are you there?");
        // The sender's tab was visible all along: the reply shows Seen at once.
        var replySeen = people.Second.GetByTestId("seen");
        await Expect(people.Second.Locator("[data-testid=message]", new() { Has = replySeen }).Locator(".message-text")).ToHaveTextAsync("typing blind");

        // The reader turns read receipts off in the account area: Seen goes from both sides at once.
        var privacy = await people.SecondContext.NewPageAsync();
        await privacy.GotoAsync(new Uri(fixture.Server.BaseAddress, "account/privacy").ToString());
        await Expect(privacy.GetByLabel("Read receipts")).ToBeCheckedAsync();
        await privacy.GetByLabel("Read receipts").UncheckAsync();
        await privacy.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(privacy.GetByTestId("privacy-saved")).ToBeVisibleAsync();
        await Expect(privacy.GetByLabel("Read receipts")).Not.ToBeCheckedAsync();
        await Expect(people.First.GetByTestId("seen")).ToHaveCountAsync(0);
        await Expect(people.Second.GetByTestId("seen")).ToHaveCountAsync(0);
        await EndChatAsync(people.First);
    }
}
