using System.Security.Cryptography;
using BlazorChat.Tests.EndToEnd;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.Tests.Files;

/// <summary>Two people in Chromium send each other files, as a person does: one test, several files at once.</summary>
[Collection(BrowserCollection.Name)]
public sealed class FileBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Files_SentAtOnce_ArriveWithTheirBytes_APreview_TheirNamesAsText_AndNoScriptRuns()
    {
        await using var people = await fixture.SignInPairAsync(BrowserFixture.Student(21), BrowserFixture.Student(22),
            secondOptions: new BrowserNewContextOptions { AcceptDownloads = true });
        List<string> requested = [];
        people.SecondContext.Request += (_, request) => { lock (requested) { requested.Add(request.Url); } };
        var data = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 12345);
        const string hostileName = "\u202Etxt.exe<img src=x onerror=alert(1)>.bin";
        const string shownHostileName = "txt.exe<img src=x onerror=alert(1)>.bin";

        await people.First.GetByLabel("Send a file").SetInputFilesAsync(
        [
            new FilePayload { Name = "data.bin", MimeType = "application/octet-stream", Buffer = data },
            new FilePayload { Name = "dot.png", MimeType = "image/png", Buffer = TestImages.Png },
            new FilePayload { Name = hostileName, MimeType = "application/octet-stream", Buffer = [1, 2, 3] },
            new FilePayload { Name = "evil.svg", MimeType = "image/svg+xml", Buffer = TestImages.ScriptedSvg },
        ]);

        // The sender sees each one sent; the partner sees each one with its link.
        await Expect(people.First.Locator("[data-testid=file-card][data-status=Sent]")).ToHaveCountAsync(4, new() { Timeout = 60_000 });
        var received = people.Second.Locator("[data-testid=file-card][data-status=Received]");
        await Expect(received).ToHaveCountAsync(4);

        var dataCard = received.Filter(new() { HasText = "data.bin" });
        var download = await people.Second.RunAndWaitForDownloadAsync(() => dataCard.GetByRole(AriaRole.Link, new() { Name = "Download" }).ClickAsync());
        var saved = Path.Combine(Path.GetTempPath(), "blazorchat-tests", Guid.NewGuid().ToString("N"));
        await download.SaveAsAsync(saved);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(await File.ReadAllBytesAsync(saved)));
        Assert.Equal("data.bin", download.SuggestedFilename);
        File.Delete(saved);

        // A raster image shows its thumbnail, drawn from the file's own bytes.
        var preview = received.Filter(new() { HasText = "dot.png" }).GetByTestId("file-preview");
        await Expect(preview).ToBeVisibleAsync();
        Assert.True(await preview.EvaluateAsync<bool>("img => img.complete && img.naturalWidth === 1"));

        // A hostile name is text: the override is gone, the markup is shown, not made.
        var hostile = received.Filter(new() { HasText = "onerror" }).GetByTestId("file-name");
        Assert.Equal(shownHostileName, await hostile.TextContentAsync());
        Assert.Equal(0, await received.Locator("img:not([data-testid=file-preview])").CountAsync());

        // The SVG gets no preview, and opening its link downloads it rather than showing it: its script never runs.
        var svgCard = received.Filter(new() { HasText = "evil.svg" });
        await Expect(svgCard.GetByTestId("file-preview")).ToHaveCountAsync(0);
        var svgDownload = await people.Second.RunAndWaitForDownloadAsync(() => svgCard.GetByRole(AriaRole.Link, new() { Name = "Download" }).ClickAsync());
        Assert.Equal("evil.svg", svgDownload.SuggestedFilename);
        await svgDownload.DeleteAsync();
        lock (requested)
        {
            Assert.DoesNotContain(requested, url => url.Contains("svg-script-ran", StringComparison.Ordinal));
        }

        await ChatBrowserActions.EndChatAsync(people.First);
    }
}
