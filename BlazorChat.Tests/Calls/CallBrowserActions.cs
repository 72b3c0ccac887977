using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.Tests.Calls;

/// <summary>What a person does and sees in a call, and what the browser's own statistics say of its media.</summary>
public static class CallBrowserActions
{
    public static ILocator Button(IPage page, string name) => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    public static ILocator RingDialog(IPage page) => page.GetByRole(AriaRole.Alertdialog);

    public static ILocator CallLines(IPage page) => page.Locator(".message.call-line .message-text");

    public static ILocator Notice(IPage page) => page.GetByTestId("call-notice");

    /// <summary>
    /// Waits until the page's call is connected and, between two of the browser's own getStats() samples, its inbound
    /// audio bytes (and with <paramref name="video"/> its decoded video frames) grew: media flows to this side.
    /// </summary>
    public static async Task WaitForMediaAsync(IPage page, bool video, float timeout = 30_000)
    {
        // getStats() answers with a promise, which waitForFunction does not wait for: a sampler in the page keeps the
        // last two samples, and the wait reads them.
        await page.EvaluateAsync(
            """
            () => {
                window.__callSamples = [];
                window.__callSampler ??= setInterval(async () => {
                    const sample = await window.blazorChatCall?.stats();
                    window.__callSamples = [...window.__callSamples.slice(-1), sample ?? null];
                }, 250);
            }
            """);
        await page.WaitForFunctionAsync(
            """
            video => {
                const [before, now] = window.__callSamples;
                return !!before && !!now && now.connectionState === "connected" && now.audioBytesReceived > before.audioBytesReceived
                    && (!video || now.videoFramesDecoded > before.videoFramesDecoded);
            }
            """,
            video,
            new() { PollingInterval = 250, Timeout = timeout });
    }

    /// <summary>Whether this page's call holds no peer connection (closed, camera and microphone released).</summary>
    public static async Task ExpectNoCallAsync(IPage page)
    {
        await Expect(page.Locator(".call-stage")).ToHaveCountAsync(0);
        await page.WaitForFunctionAsync("() => window.blazorChatCall === undefined || window.blazorChatCall.state() === null");
    }
}
