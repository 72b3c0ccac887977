using System.Text.RegularExpressions;
using BlazorChat.Tests.EndToEnd;
using static BlazorChat.Tests.Calls.CallBrowserActions;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.Tests.Calls;

/// <summary>Calls between two people in real Chromium with a fake camera and microphone, over loopback.</summary>
[Collection(CallBrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed partial class CallBrowserTests(CallBrowserFixture fixture)
{
    [Fact]
    public async Task VideoCall_RingsEveryTab_ConnectsWithMediaBothWays_AndTheCallerHangsUp()
    {
        await using var people = await fixture.PairAsync(1, 2);
        var (hamza, karam) = (people.First, people.Second);
        var karamTab2 = await ChatBrowserActions.OpenTabAsync(people.SecondContext, fixture.Server.BaseAddress);

        await Button(hamza, "Video call").ClickAsync();

        await Expect(hamza.GetByTestId("call-status")).ToHaveTextAsync("Calling student02…");
        await Expect(RingDialog(karam)).ToContainTextAsync("student01 is calling (video)");
        await Expect(RingDialog(karamTab2)).ToContainTextAsync("student01 is calling (video)");
        await Expect(karam).ToHaveTitleAsync(new Regex("calling|Chat with", RegexOptions.IgnoreCase));

        await Button(karam, "Accept").ClickAsync();

        await Expect(RingDialog(karamTab2)).ToHaveCountAsync(0);
        await Expect(karamTab2.GetByTestId("call-elsewhere")).ToHaveTextAsync("In a call with student01 in another tab");
        await WaitForMediaAsync(hamza, video: true);
        await WaitForMediaAsync(karam, video: true);
        await Expect(hamza.GetByTestId("call-duration")).ToHaveTextAsync(DurationPattern());
        await Button(karam, "Mute").ClickAsync();
        await Expect(Button(karam, "Unmute")).ToBeVisibleAsync();
        await Button(hamza, "Camera off").ClickAsync();
        await Expect(Button(hamza, "Camera on")).ToBeVisibleAsync();
        Directory.CreateDirectory(BrowserFixture.ScreenshotDirectory);
        await karam.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "call-video.png") });

        await Button(hamza, "Hang up").ClickAsync();

        await Expect(CallLines(hamza)).ToHaveTextAsync(CallLinePattern("Video"));
        await Expect(CallLines(karam)).ToHaveTextAsync(CallLinePattern("Video"));
        await Expect(Notice(karam)).ToHaveTextAsync(new Regex("^student01 hung up · \\d+:\\d\\d$"));
        await ExpectNoCallAsync(hamza);
        await ExpectNoCallAsync(karam);
        await ChatBrowserActions.EndChatAsync(hamza);
    }

    private static Regex CallLinePattern(string kind) => new($"^{kind} call · \\d+:\\d\\d$");

    [GeneratedRegex("^\\d+:\\d\\d$")]
    private static partial Regex DurationPattern();
}
