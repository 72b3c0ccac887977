using BlazorChat.Tests.Calls;
using static BlazorChat.Tests.Calls.CallBrowserActions;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.Tests.Comforts;

/// <summary>A ringing call from the keyboard: its dialog takes the focus, Escape declines it, and the focus comes back.</summary>
[Collection(CallBrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class CallKeyboardBrowserTests(CallBrowserFixture fixture)
{
    [Fact]
    public async Task RingingCall_TakesTheFocus_EscapeDeclinesIt_AndTheFocusReturnsToTheMessageBox()
    {
        await using var people = await fixture.PairAsync(23, 24);
        var (caller, callee) = (people.First, people.Second);
        var box = EndToEnd.ChatBrowserActions.MessageBox(callee);
        await box.FocusAsync();

        await Button(caller, "Voice call").ClickAsync();
        await Expect(RingDialog(callee)).ToBeVisibleAsync();
        await Expect(Button(callee, "Accept")).ToBeFocusedAsync();

        await callee.Keyboard.PressAsync("Escape");
        await Expect(RingDialog(callee)).ToHaveCountAsync(0);
        await ExpectNoCallAsync(caller);
        await Expect(box).ToBeFocusedAsync();
        await EndToEnd.ChatBrowserActions.EndChatAsync(caller);
    }
}
