using Microsoft.Playwright;

namespace BlazorChat.Tests.EndToEnd;

/// <summary>One app server and one headless Chromium shared by the browser tests; each test opens its own contexts (people).</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    /// <summary>The app's own seed file plus spare accounts (student01–student40, password "pass-N"), so tests need not share people.</summary>
    public BlazorChatServer Server { get; } = new(seedCsv: File.ReadAllText(AppSeedFile).TrimEnd() + "\n"
        + string.Concat(Enumerable.Range(1, 40).Select(i => $"student{i:00},pass-{i}\n")));

    private static string AppSeedFile
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BlazorChat.sln")))
            {
                directory = directory.Parent;
            }

            return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("BlazorChat.sln not found"), "Data", "seed-users.csv");
        }
    }

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Debian's Chromium unless BLAZORCHAT_CHROMIUM names another (Playwright cannot download browsers here).</summary>
    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("BLAZORCHAT_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static string ScreenshotDirectory =>
        Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium was not found at {ChromiumPath}. Run the test command from README.md (it installs Debian's chromium), or set BLAZORCHAT_CHROMIUM.");
        }

        Server.Start();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            ],
        });
        Assertions.SetDefaultExpectTimeout(15_000);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>A new person: a fresh browser context, signed in and on the user list once it is live.</summary>
    public Task<IPage> SignInAsync(IBrowserContext context, string userName, string password) =>
        SignInAsync(context, Server.BaseAddress, userName, password);

    /// <summary>The same, against any running BlazorChat.</summary>
    public static async Task<IPage> SignInAsync(IBrowserContext context, Uri baseAddress, string userName, string password)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(baseAddress, "/").ToString());
        await page.GetByLabel("Username").FillAsync(userName);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await WaitUntilLiveAsync(page);
        return page;
    }

    /// <summary>One of the spare accounts: student<paramref name="number"/> with password "pass-<paramref name="number"/>".</summary>
    public static (string Name, string Password) Student(int number) => ($"student{number:00}", $"pass-{number}");

    /// <summary>Two people, each in a fresh browser context, signed in and paired with each other.</summary>
    public Task<PairedPeople> SignInPairAsync(
        (string Name, string Password) first,
        (string Name, string Password) second,
        BrowserNewContextOptions? firstOptions = null,
        BrowserNewContextOptions? secondOptions = null) =>
        SignInPairAsync(Browser, Server.BaseAddress, first, second, firstOptions, secondOptions);

    /// <summary>The same, against any running BlazorChat.</summary>
    public static async Task<PairedPeople> SignInPairAsync(
        IBrowser browser,
        Uri baseAddress,
        (string Name, string Password) first,
        (string Name, string Password) second,
        BrowserNewContextOptions? firstOptions = null,
        BrowserNewContextOptions? secondOptions = null)
    {
        var firstContext = await browser.NewContextAsync(firstOptions);
        var secondContext = await browser.NewContextAsync(secondOptions);
        PairedPeople people = new(firstContext, secondContext);
        try
        {
            people.First = await SignInAsync(firstContext, baseAddress, first.Name, first.Password);
            people.Second = await SignInAsync(secondContext, baseAddress, second.Name, second.Password);
            await PairAsync(people.First, first.Name, people.Second, second.Name);
            return people;
        }
        catch
        {
            await people.DisposeAsync();
            throw;
        }
    }

    /// <summary>Each picks the other; returns once both see that they may chat.</summary>
    public static async Task PairAsync(IPage first, string firstName, IPage second, string secondName)
    {
        await first.GetByRole(AriaRole.Button, new() { Name = $"Chat with {secondName}" }).ClickAsync();
        await second.GetByRole(AriaRole.Button, new() { Name = $"Chat with {firstName}" }).ClickAsync();
        await Assertions.Expect(first.GetByTestId("allowed-notice")).ToBeVisibleAsync();
        await Assertions.Expect(second.GetByTestId("allowed-notice")).ToBeVisibleAsync();
    }

    /// <summary>The prerendered page arrives before the circuit; clicks before it is live are lost.</summary>
    public static Task WaitUntilLiveAsync(IPage page) =>
        Assertions.Expect(page.Locator(".chat-page[data-interactive=true]")).ToBeVisibleAsync();
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}

/// <summary>Two signed-in, paired people from <see cref="BrowserFixture.SignInPairAsync(ValueTuple{string, string}, ValueTuple{string, string}, BrowserNewContextOptions?, BrowserNewContextOptions?)"/>; disposing closes both browsers.</summary>
public sealed class PairedPeople(IBrowserContext firstContext, IBrowserContext secondContext) : IAsyncDisposable
{
    public IBrowserContext FirstContext { get; } = firstContext;

    public IBrowserContext SecondContext { get; } = secondContext;

    public IPage First { get; internal set; } = null!;

    public IPage Second { get; internal set; } = null!;

    public async ValueTask DisposeAsync()
    {
        await FirstContext.DisposeAsync();
        await SecondContext.DisposeAsync();
    }
}
