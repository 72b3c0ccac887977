using BlazorChat.Tests.EndToEnd;
using Microsoft.Playwright;

namespace BlazorChat.Tests.Calls;

/// <summary>
/// The app on a loopback port with a short ring timeout, and Debian's Chromium with a fake camera and microphone
/// (a moving test pattern and beeps) that it grants without a prompt. <see cref="BrowserWithoutMediaConsentAsync"/> is a
/// second Chromium without that consent, where a page's request for the camera is refused as a person refusing it would.
/// </summary>
public sealed class CallBrowserFixture : IAsyncLifetime
{
    public static readonly TimeSpan RingTimeout = TimeSpan.FromSeconds(8);

    private static readonly string[] CommonArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--use-fake-device-for-media-stream",
        "--autoplay-policy=no-user-gesture-required",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _withoutConsent;

    public BlazorChatServer Server { get; } = new(
        settings: new Dictionary<string, string> { ["Calls:RingTimeout"] = RingTimeout.ToString() },
        seedCsv: "username,password\n" + string.Concat(Enumerable.Range(1, 24).Select(i => $"student{i:00},pass-{i}\n")));

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server.Start();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFixture.ChromiumPath,
            Headless = true,
            Args = [.. CommonArgs, "--use-fake-ui-for-media-stream"],
        });
        Assertions.SetDefaultExpectTimeout(15_000);
    }

    public async Task<IBrowser> BrowserWithoutMediaConsentAsync() =>
        _withoutConsent ??= await _playwright!.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFixture.ChromiumPath,
            Headless = true,
            Args = CommonArgs,
        });

    /// <summary>Two students paired in a chat, each in a context that may use the fake camera and microphone.</summary>
    public Task<PairedPeople> PairAsync(int first, int second, bool grantMedia = true, IBrowser? browser = null)
    {
        BrowserNewContextOptions options = new()
        {
            Permissions = grantMedia ? ["camera", "microphone"] : [],
            ViewportSize = new() { Width = 900, Height = 760 },
        };
        return BrowserFixture.SignInPairAsync(
            browser ?? Browser, Server.BaseAddress, BrowserFixture.Student(first), BrowserFixture.Student(second), options, options);
    }

    public async Task DisposeAsync()
    {
        if (_withoutConsent is not null)
        {
            await _withoutConsent.DisposeAsync();
        }

        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class CallBrowserCollection : ICollectionFixture<CallBrowserFixture>
{
    public const string Name = "call browser";
}
