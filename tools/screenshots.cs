#:package Microsoft.Playwright
#:property PublishAot=false

// Remakes docs/chat-desktop.png (1280×800) and docs/chat-phone.png (390×844): starts BlazorChat on a free loopback
// port with a temporary database, signs hamza in on a desktop and karam on a phone in Debian's Chromium, pairs them,
// exchanges three messages and saves both screens. From the repository's root:
//
//     dotnet run tools/screenshots.cs
//
// BLAZORCHAT_CHROMIUM names another Chromium (default /usr/bin/chromium, as for the browser tests).
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

var root = FindRepositoryRoot();
var chromium = Environment.GetEnvironmentVariable("BLAZORCHAT_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";
var folder = Directory.CreateTempSubdirectory("blazorchat-screenshots-");
var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}/");

// The app's own seed file and settings; only the database and the cookie keys are temporary.
var start = new ProcessStartInfo("dotnet")
{
    ArgumentList =
    {
        "run", "--project", Path.Combine(root, "BlazorChat"), "-c", "Release", "--", "--urls", baseAddress.ToString().TrimEnd('/'),
        $"--ConnectionStrings:BlazorChat=Data Source={Path.Combine(folder.FullName, "blazorchat.db")}",
        $"--DataProtection:KeysPath={Path.Combine(folder.FullName, "keys")}",
    },
    RedirectStandardOutput = true,
    RedirectStandardError = true,
};
using var app = Process.Start(start) ?? throw new InvalidOperationException("dotnet run did not start.");
app.OutputDataReceived += static (_, line) => { };
app.ErrorDataReceived += static (_, line) => { if (line.Data is { Length: > 0 }) Console.Error.WriteLine(line.Data); };
app.BeginOutputReadLine();
app.BeginErrorReadLine();
try
{
    await WaitUntilServingAsync(baseAddress, app);

    using var playwright = await Playwright.CreateAsync();
    await using var browser = await playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = chromium,
        Headless = true,
        Args =
        [
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        ],
    });
    SetDefaultExpectTimeout(30_000);

    await using var desktop = await browser.NewContextAsync(new()
    {
        ViewportSize = new() { Width = 1280, Height = 800 },
        Locale = "en-GB",
        TimezoneId = "Asia/Karachi",
    });
    await using var phone = await browser.NewContextAsync(new()
    {
        ViewportSize = new() { Width = 390, Height = 844 },
        IsMobile = true,
        HasTouch = true,
        Locale = "en-GB",
        TimezoneId = "Asia/Karachi",
    });

    var hamza = await SignInAsync(desktop, baseAddress, "hamza", "123");
    var karam = await SignInAsync(phone, baseAddress, "karam", "naveed");
    await hamza.GetByRole(AriaRole.Button, new() { Name = "Chat with karam" }).ClickAsync();
    await karam.GetByRole(AriaRole.Button, new() { Name = "Chat with hamza" }).ClickAsync();
    await Expect(hamza.GetByTestId("allowed-notice")).ToBeVisibleAsync();
    await Expect(karam.GetByTestId("allowed-notice")).ToBeVisibleAsync();

    await SendAsync(hamza, karam, "Hi karam! Are you in the lab this afternoon?", 1);
    await SendAsync(karam, hamza, "Yes, from 3. Bring the EE-357 report? 📄", 2);
    await SendAsync(hamza, karam, "Will do, see you there 👍", 3);

    var docs = Path.Combine(root, "docs");
    await hamza.ScreenshotAsync(new() { Path = Path.Combine(docs, "chat-desktop.png") });
    await karam.ScreenshotAsync(new() { Path = Path.Combine(docs, "chat-phone.png") });
    await hamza.GetByRole(AriaRole.Button, new() { Name = "End chat" }).ClickAsync();
    Console.WriteLine($"Wrote {Path.Combine(docs, "chat-desktop.png")} and {Path.Combine(docs, "chat-phone.png")}.");
}
finally
{
    await StopAsync(app);
    folder.Delete(recursive: true);
}

static async Task<IPage> SignInAsync(IBrowserContext context, Uri baseAddress, string userName, string password)
{
    var page = await context.NewPageAsync();
    await page.GotoAsync(baseAddress.ToString());
    await page.GetByLabel("Username").FillAsync(userName);
    await page.GetByLabel("Password").FillAsync(password);
    await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

    // The prerendered page arrives before its circuit is live; a click before then is lost.
    await Expect(page.Locator(".chat-page[data-interactive=true]")).ToBeVisibleAsync();
    return page;
}

// Sends from one page and waits until the other shows it, so both screens show the whole exchange.
static async Task SendAsync(IPage from, IPage to, string text, int count)
{
    var box = from.GetByLabel("Message", new() { Exact = true });
    await box.FillAsync(text);
    await box.PressAsync("Enter");
    await Expect(box).ToHaveValueAsync("");
    await Expect(to.GetByTestId("message")).ToHaveCountAsync(count);
}

static async Task WaitUntilServingAsync(Uri baseAddress, Process app)
{
    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
    var deadline = DateTime.UtcNow.AddMinutes(3);
    while (DateTime.UtcNow < deadline)
    {
        if (app.HasExited)
        {
            throw new InvalidOperationException($"The app exited with code {app.ExitCode} before it served a page.");
        }

        try
        {
            using var response = await http.GetAsync(new Uri(baseAddress, "signin"));
            if (response.IsSuccessStatusCode)
            {
                return;
            }
        }
        catch (HttpRequestException)
        {
            // Not listening yet (it builds first).
        }

        await Task.Delay(500);
    }

    throw new TimeoutException($"The app did not serve {baseAddress} within 3 minutes.");
}

// SIGTERM by pid (the app stops in a few seconds), then a kill of what is left of it and of dotnet run.
static async Task StopAsync(Process app)
{
    if (!app.HasExited)
    {
        using (var term = Process.Start("kill", ["-TERM", app.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await app.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            app.Kill(entireProcessTree: true);
        }
    }
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static string FindRepositoryRoot()
{
    var directory = new DirectoryInfo(Environment.CurrentDirectory);
    while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BlazorChat.sln")))
    {
        directory = directory.Parent;
    }

    return directory?.FullName ?? throw new InvalidOperationException("Run this from inside the BlazorChat repository.");
}
