#:package Microsoft.Playwright
#:property PublishAot=false

// Call figures (docs/performance.md, "Calls"): starts BlazorChat on a free loopback port with a temporary database,
// pairs hamza and karam in two contexts of Debian's Chromium with a fake camera and microphone, and makes N video calls
// (default 20). For each: the caller's click to the callee's ring dialog, Accept to media both ways (both sides'
// getStats() show inbound audio bytes and decoded video frames), and the signalling messages both sides sent. Prints
// p50, p90 and max. From the repository's root:
//
//     dotnet run tools/call-figures.cs [calls]
//
// BLAZORCHAT_CHROMIUM names another Chromium (default /usr/bin/chromium). Loopback only; bounded by the count.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

var calls = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
var root = FindRepositoryRoot();
var chromium = Environment.GetEnvironmentVariable("BLAZORCHAT_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";
var folder = Directory.CreateTempSubdirectory("blazorchat-call-figures-");
var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}/");

var start = new ProcessStartInfo("dotnet")
{
    ArgumentList =
    {
        "run", "--project", Path.Combine(root, "BlazorChat"), "-c", "Release", "--", "--urls", baseAddress.ToString().TrimEnd('/'),
        $"--ConnectionStrings:BlazorChat=Data Source={Path.Combine(folder.FullName, "blazorchat.db")}",
        $"--DataProtection:KeysPath={Path.Combine(folder.FullName, "keys")}",
        "--Logging:LogLevel:Default=Warning",
        "--Calls:MaxCallsPerMinute=0",   // back-to-back calls here; a person is limited to 6 a minute
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
            "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--autoplay-policy=no-user-gesture-required",
        ],
    });
    SetDefaultExpectTimeout(30_000);
    BrowserNewContextOptions options = new() { Permissions = ["camera", "microphone"] };
    await using var hamzaContext = await browser.NewContextAsync(options);
    await using var karamContext = await browser.NewContextAsync(options);
    var hamza = await SignInAsync(hamzaContext, baseAddress, "hamza", "123");
    var karam = await SignInAsync(karamContext, baseAddress, "karam", "naveed");
    await hamza.GetByRole(AriaRole.Button, new() { Name = "Chat with karam" }).ClickAsync();
    await karam.GetByRole(AriaRole.Button, new() { Name = "Chat with hamza" }).ClickAsync();
    await Expect(hamza.GetByTestId("allowed-notice")).ToBeVisibleAsync();
    await Expect(karam.GetByTestId("allowed-notice")).ToBeVisibleAsync();

    List<double> rings = [], media = [], connected = [];
    List<int> signals = [];
    for (var i = 0; i < calls; i++)
    {
        // The callee's page notes when its ring dialog appears; the caller's page notes the click. One machine, one clock.
        await karam.EvaluateAsync("""
            () => { window.__ringAt = 0; new MutationObserver((_, o) => { if (document.querySelector("[role=alertdialog]")) { window.__ringAt = Date.now(); o.disconnect(); } })
                .observe(document.body, { childList: true, subtree: true }); }
            """);
        var clickedAt = await hamza.EvaluateAsync<double>("""() => { const t = Date.now(); document.querySelector("button[aria-label='Video call']").click(); return t; }""");
        await WaitAsync(karam, "() => window.__ringAt > 0", $"call {i + 1}: the callee's ring", hamza, karam);
        rings.Add(await karam.EvaluateAsync<double>("() => window.__ringAt") - clickedAt);

        // getStats() answers with a promise, which waitForFunction does not wait for: a sampler in each page keeps the
        // time media was first seen flowing into it.
        const string Sample = """
            () => { window.__mediaAt = 0; window.__connectedAt = 0; clearInterval(window.__sampler); window.__sampler = setInterval(async () => {
                const s = await window.blazorChatCall?.stats();
                if (!window.__connectedAt && s?.connectionState === "connected") { window.__connectedAt = Date.now(); }
                if (!window.__mediaAt && s && s.connectionState === "connected" && s.audioBytesReceived > 0 && s.videoFramesDecoded > 0) {
                    window.__mediaAt = Date.now(); clearInterval(window.__sampler); } }, 50); }
            """;
        await karam.EvaluateAsync(Sample);
        await hamza.EvaluateAsync(Sample);
        var acceptedAt = await karam.EvaluateAsync<double>("""() => { const t = Date.now(); [...document.querySelectorAll("[role=alertdialog] button")].find(b => b.textContent.trim() === "Accept").click(); return t; }""");
        try
        {
            await hamza.WaitForFunctionAsync("() => window.__mediaAt > 0", null, new() { PollingInterval = 50, Timeout = 30_000 });
        }
        catch (TimeoutException)
        {
            Console.WriteLine($"call {i + 1}: no media after 30 s; caller {await hamza.EvaluateAsync<string>("() => JSON.stringify(window.blazorChatCall?.state())")}, callee {await karam.EvaluateAsync<string>("() => JSON.stringify(window.blazorChatCall?.state())")}");
            throw;
        }

        await karam.WaitForFunctionAsync("() => window.__mediaAt > 0", null, new() { PollingInterval = 50, Timeout = 30_000 });
        var hamzaMedia = await hamza.EvaluateAsync<double>("() => window.__mediaAt");
        var karamMedia = await karam.EvaluateAsync<double>("() => window.__mediaAt");
        media.Add(Math.Max(hamzaMedia, karamMedia) - acceptedAt);
        connected.Add(Math.Max(await hamza.EvaluateAsync<double>("() => window.__connectedAt"), await karam.EvaluateAsync<double>("() => window.__connectedAt")) - acceptedAt);

        var sent = 0;
        foreach (var page in new[] { hamza, karam })
        {
            sent += (await page.EvaluateAsync<JsonElement>("() => window.blazorChatCall.stats()")).GetProperty("signalsSent").GetInt32();
        }

        signals.Add(sent);
        await hamza.GetByRole(AriaRole.Button, new() { Name = "Hang up", Exact = true }).ClickAsync();
        await Expect(karam.Locator(".message.call-line")).ToHaveCountAsync(i + 1);
        await Expect(hamza.GetByRole(AriaRole.Button, new() { Name = "Video call" })).ToBeEnabledAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"call {i + 1,2}: ring {rings[^1],5:0} ms, accept to connected {connected[^1],5:0} ms, to media both ways {media[^1],5:0} ms, {signals[^1]} signalling messages"));
    }

    await hamza.GetByRole(AriaRole.Button, new() { Name = "End chat" }).ClickAsync();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""

        {calls} video calls, Chromium {browser.Version}, loopback:
          click to ring            p50 {Percentile(rings, 50):0} ms, p90 {Percentile(rings, 90):0} ms, max {rings.Max():0} ms
          accept to connected (both) p50 {Percentile(connected, 50):0} ms, p90 {Percentile(connected, 90):0} ms
          accept to media both ways p50 {Percentile(media, 50):0} ms, p90 {Percentile(media, 90):0} ms, max {media.Max():0} ms
          signalling messages per call (both sides) p50 {Percentile(signals.Select(s => (double)s).ToList(), 50):0}, min {signals.Min()}, max {signals.Max()}
        """));
}
finally
{
    await StopAsync(app);
    folder.Delete(recursive: true);
}

// Waits for a condition in a page; on a timeout says what each side's call looked like.
static async Task WaitAsync(IPage page, string condition, string what, IPage caller, IPage callee)
{
    try
    {
        await page.WaitForFunctionAsync(condition, null, new() { PollingInterval = 20, Timeout = 30_000 });
    }
    catch (TimeoutException)
    {
        const string State = "async () => JSON.stringify({ stats: await window.blazorChatCall?.stats(), panel: document.querySelector('.call-panel')?.innerText })";
        Console.WriteLine($"{what}: not within 30 s. Caller: {await caller.EvaluateAsync<string>(State)} Callee: {await callee.EvaluateAsync<string>(State)}");
        throw;
    }
}

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
    return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
}

static async Task<IPage> SignInAsync(IBrowserContext context, Uri baseAddress, string userName, string password)
{
    var page = await context.NewPageAsync();
    await page.GotoAsync(baseAddress.ToString());
    await page.GetByLabel("Username").FillAsync(userName);
    await page.GetByLabel("Password").FillAsync(password);
    await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    await Expect(page.Locator(".chat-page[data-interactive=true]")).ToBeVisibleAsync();
    return page;
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
