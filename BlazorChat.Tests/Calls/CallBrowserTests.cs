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
        await Expect(karam).ToHaveTitleAsync("student01 is calling…");

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

    [Fact]
    public async Task VoiceCall_ConnectsWithAudioBothWays_TheCalleeHangsUp_ThenAtEndEndsTheNextCall()
    {
        await using var people = await fixture.PairAsync(3, 4);
        var (hamza, karam) = (people.First, people.Second);

        await Button(hamza, "Voice call").ClickAsync();
        await Expect(RingDialog(karam)).ToContainTextAsync("student03 is calling (voice)");
        await Button(karam, "Accept").ClickAsync();
        await WaitForMediaAsync(hamza, video: false);
        await WaitForMediaAsync(karam, video: false);
        await Expect(Button(karam, "Camera on")).ToBeVisibleAsync();
        await Button(karam, "Hang up").ClickAsync();

        await Expect(CallLines(hamza)).ToHaveTextAsync(CallLinePattern("Voice"));
        await Expect(Notice(hamza)).ToHaveTextAsync(new Regex("^student04 hung up · \\d+:\\d\\d$"));
        await ExpectNoCallAsync(karam);

        // A second call, ended by "@end" in the chat: the call ends for both with the chat.
        await Button(karam, "Video call").ClickAsync();
        await Button(hamza, "Accept").ClickAsync();
        await WaitForMediaAsync(karam, video: true);
        await ChatBrowserActions.TypeAndPressEnterAsync(hamza, "@end");

        await Expect(karam.GetByTestId("notice")).ToHaveTextAsync("student03 ended the chat.");
        await ExpectNoCallAsync(karam);
        await ExpectNoCallAsync(hamza);
    }

    [Fact]
    public async Task Decline_TellsTheCaller_AndNoAnswer_EndsAsMissedForBoth()
    {
        await using var people = await fixture.PairAsync(5, 6);
        var (hamza, karam) = (people.First, people.Second);

        await Button(hamza, "Video call").ClickAsync();
        await Button(karam, "Decline").ClickAsync();
        await Expect(Notice(hamza)).ToHaveTextAsync("student06 declined");
        await Expect(CallLines(karam)).ToHaveTextAsync("Declined video call");
        await ExpectNoCallAsync(hamza);

        await Button(hamza, "Voice call").ClickAsync();
        await Expect(RingDialog(karam)).ToBeVisibleAsync();
        await Expect(RingDialog(karam)).ToHaveCountAsync(0, new() { Timeout = (float)(CallBrowserFixture.RingTimeout.TotalMilliseconds + 15_000) });
        await Expect(Notice(hamza)).ToHaveTextAsync("No answer from student06");
        await Expect(Notice(karam)).ToHaveTextAsync("Missed voice call from student05");
        await Expect(CallLines(hamza)).ToHaveTextAsync(["Declined video call", "Missed voice call"]);
        await Expect(CallLines(karam)).ToHaveTextAsync(["Declined video call", "Missed voice call"]);
        await ExpectNoCallAsync(hamza);
        await ChatBrowserActions.EndChatAsync(hamza);
    }

    [Fact]
    public async Task BothCallAtOnce_GiveOneCall_WithMediaBothWays()
    {
        await using var people = await fixture.PairAsync(7, 8);
        var (hamza, karam) = (people.First, people.Second);

        // Both press at once: the presses are dispatched in both pages together, before either page can show a ring
        // (a pointer click would wait for the ring dialog that covers the page to go).
        const string Press = "() => document.querySelector(\"button[aria-label='Video call']\").click()";
        await Task.WhenAll(hamza.EvaluateAsync(Press), karam.EvaluateAsync(Press));

        // Whoever's press came second answered the other's call; if one's page rang before its press, it answers.
        foreach (var page in new[] { hamza, karam })
        {
            if (await RingDialog(page).IsVisibleAsync())
            {
                try
                {
                    await Button(page, "Accept").ClickAsync(new() { Timeout = 5_000 });
                }
                catch (TimeoutException)
                {
                    // The other press answered the call between the look and the click: the ring must have gone.
                    await Expect(RingDialog(page)).ToBeHiddenAsync();
                }
            }
        }

        await WaitForMediaAsync(hamza, video: true);
        await WaitForMediaAsync(karam, video: true);
        await Button(karam, "Hang up").ClickAsync();
        await Expect(CallLines(hamza)).ToHaveTextAsync(CallLinePattern("Video"));
        await Expect(CallLines(karam)).ToHaveCountAsync(1);
        await ChatBrowserActions.EndChatAsync(hamza);
    }

    [Fact]
    public async Task CameraBlocked_SaysWhatToAllow_AndTheCalleeIsToldAndStopsRinging()
    {
        var browser = await fixture.BrowserWithoutMediaConsentAsync();
        await using var people = await fixture.PairAsync(9, 10, grantMedia: false, browser: browser);
        var (hamza, karam) = (people.First, people.Second);

        await Button(hamza, "Video call").ClickAsync();

        await Expect(Notice(hamza)).ToContainTextAsync("Your browser blocked the camera and microphone. Allow Camera and Microphone for this site in the browser's site settings");
        await Expect(Notice(karam)).ToHaveTextAsync("student09's camera or microphone could not start, so the call could not go on.");
        await Expect(RingDialog(karam)).ToHaveCountAsync(0);
        await Expect(CallLines(karam)).ToHaveTextAsync("Missed video call");
        await ChatBrowserActions.EndChatAsync(hamza);
    }

    private static Regex CallLinePattern(string kind) => new($"^{kind} call · \\d+:\\d\\d$");

    [GeneratedRegex("^\\d+:\\d\\d$")]
    private static partial Regex DurationPattern();
}
