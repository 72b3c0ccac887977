using System.Net;
using BlazorChat.Tests.EndToEnd;
using Microsoft.Playwright;
using Xunit.Abstractions;
using AppProcess = BlazorChat.LoadTest.Ladder.AppProcess;
using SignInForm = BlazorChat.Tests.EndToEnd.SignInAbuseTests.SignInForm;

namespace BlazorChat.Tests.Hosting;

/// <summary>
/// BlazorChat as an operator runs it: <c>dotnet publish</c>, the published BlazorChat.dll started in Production with the
/// shipped seed file, behind Debian's nginx running the shipped site with a self-signed certificate on loopback.
/// </summary>
public sealed class PublishedAppFixture : IAsyncLifetime
{
    public const int SignInsPerAddress = 10;

    private readonly string _folder = Directory.CreateTempSubdirectory("blazorchat-published-").FullName;

    public AppProcess App { get; private set; } = null!;

    public NginxProxy Proxy { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var appFolder = Path.Combine(_folder, "app");
        await AppProcess.PublishAsync(NginxProxy.RepositoryRoot, appFolder, CancellationToken.None);
        var data = Path.Combine(_folder, "data");
        App = AppProcess.Start(appFolder, data, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Files:Path"] = Path.Combine(data, "files"),
            ["Accounts:PasswordHashIterations"] = "10000",
            ["Accounts:SignInsPerMinutePerAddress"] = SignInsPerAddress.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await App.WaitUntilListeningAsync(TimeSpan.FromSeconds(60));
        Proxy = await NginxProxy.StartAsync(App.BaseAddress.Port);
    }

    public async Task DisposeAsync()
    {
        if (Proxy is not null)
        {
            await Proxy.DisposeAsync();
        }

        if (App is not null)
        {
            await App.DisposeAsync();
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a process being torn down: the temporary folder is left to the system.
        }
    }
}

[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class PublishedAppTests(BrowserFixture browsers, PublishedAppFixture fixture, ITestOutputHelper output) : IClassFixture<PublishedAppFixture>
{
    private NginxProxy Proxy => fixture.Proxy;

    [Fact]
    public async Task AWholeChat_InChromium_StaysOnHttpsAndWss_WithSecureCookiesAndEveryRequestAnswered()
    {
        List<string> addresses = [];
        List<string> failures = [];
        var options = new BrowserNewContextOptions { IgnoreHTTPSErrors = true };
        await using var hamzaContext = await browsers.Browser.NewContextAsync(options);
        await using var karamContext = await browsers.Browser.NewContextAsync(options);
        foreach (var context in new[] { hamzaContext, karamContext })
        {
            context.Request += (_, request) => { lock (addresses) { addresses.Add(request.Url); } };
            context.Response += (_, response) =>
            {
                if (response.Status >= 400)
                {
                    lock (failures) { failures.Add($"{response.Status} {response.Url}"); }
                }
            };
            context.Page += (_, page) => page.WebSocket += (_, socket) => { lock (addresses) { addresses.Add(socket.Url); } };
        }

        // The shipped seed's accounts, as a new operator first tries it.
        var hamza = await BrowserFixture.SignInAsync(hamzaContext, Proxy.HttpsAddress, "hamza", "123");
        var karam = await BrowserFixture.SignInAsync(karamContext, Proxy.HttpsAddress, "karam", "naveed");
        await BrowserFixture.PairAsync(hamza, "hamza", karam, "karam");
        await ChatBrowserActions.SendAsync(hamza, "hello from the published app");
        await ChatBrowserActions.SendAsync(karam, "and back, over wss");
        string[] expected = ["hello from the published app", "and back, over wss"];
        await Assertions.Expect(ChatBrowserActions.MessageTexts(hamza)).ToHaveTextAsync(expected);
        await Assertions.Expect(ChatBrowserActions.MessageTexts(karam)).ToHaveTextAsync(expected);

        // A reload opens a new live connection, through the proxy too; then @end sends both back to the list.
        await karam.ReloadAsync();
        await BrowserFixture.WaitUntilLiveAsync(karam);
        await Assertions.Expect(ChatBrowserActions.MessageTexts(karam)).ToHaveTextAsync(expected);
        await ChatBrowserActions.TypeAndPressEnterAsync(karam, "@end");
        await Assertions.Expect(hamza.GetByTestId("notice")).ToHaveTextAsync("karam ended the chat.");
        await Assertions.Expect(karam.GetByTestId("notice")).ToHaveTextAsync("You ended the chat with hamza.");

        foreach (var context in new[] { hamzaContext, karamContext })
        {
            var cookies = await context.CookiesAsync();
            Assert.NotEmpty(cookies);
            Assert.All(cookies, c => Assert.True(c.Secure, $"cookie {c.Name} is not Secure"));
        }

        lock (addresses)
        {
            output.WriteLine(string.Join(Environment.NewLine, addresses.Distinct()));
            Assert.Contains(addresses, a => a.StartsWith($"wss://{Proxy.HttpsAddress.Authority}/_blazor", StringComparison.Ordinal));
            Assert.All(addresses, a => Assert.True(a.StartsWith($"https://{Proxy.HttpsAddress.Authority}/", StringComparison.Ordinal)
                || a.StartsWith($"wss://{Proxy.HttpsAddress.Authority}/", StringComparison.Ordinal), a));
        }

        lock (failures)
        {
            Assert.Empty(failures);
        }
    }

    [Fact]
    public async Task ThroughTheProxy_HttpsPagesCarryHsts_AndHealthAnswers()
    {
        using var client = Proxy.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/signin");

        // HSTS is never sent for localhost or 127.0.0.1 (a developer's machine): ask as the public name does.
        request.Headers.Host = "chat.example.com";
        using var page = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var hsts = Assert.Single(page.Headers.GetValues("Strict-Transport-Security"));
        Assert.StartsWith("max-age=", hsts, StringComparison.Ordinal);
        foreach (var path in new[] { "/healthz", "/readyz" })
        {
            using var health = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task SignInLimit_CountsEachClientBehindTheProxy_NotTheProxy()
    {
        using var first = Proxy.CreateClient(IPAddress.Parse("127.0.0.41"));
        using var second = Proxy.CreateClient(IPAddress.Parse("127.0.0.42"));
        using var firstForm = await SignInForm.OpenAsync(first);
        using var secondForm = await SignInForm.OpenAsync(second);
        for (var i = 0; i < PublishedAppFixture.SignInsPerAddress; i++)
        {
            // A different name each time, so that only the per-address limit can refuse.
            using var allowed = await firstForm.PostAsync($"nobody{i}", "wrong");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var refused = await firstForm.PostAsync("someone", "wrong");
        using var otherClient = await secondForm.PostAsync("someone-else", "wrong");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherClient.StatusCode);
    }

    /// <summary>
    /// The figure for docs/hosting.md: how long a message takes from the sender's Enter to the partner's page showing it,
    /// through the proxy (https, wss) and direct to the app (http, ws), in one run: same browser, same app, messages
    /// alternating between the two pairs so both see the same load. Timed in the pages on one clock
    /// (performance.timeOrigin + now), one message at a time. BLAZORCHAT_PROXY_LATENCY_MESSAGES sets how many a side
    /// (25 in the suite, which checks only that every message arrives; the figure is taken with 400).
    /// </summary>
    [Fact]
    public async Task DeliveryLatency_ThroughTheProxyAndDirect_SideBySide()
    {
        const int WarmUp = 5;
        var messages = int.TryParse(Environment.GetEnvironmentVariable("BLAZORCHAT_PROXY_LATENCY_MESSAGES"), out var n) && n > WarmUp ? n : 25;
        var options = new BrowserNewContextOptions { IgnoreHTTPSErrors = true };
        await using var direct = await BrowserFixture.SignInPairAsync(browsers.Browser, fixture.App.BaseAddress, ("hira", "najeeb"), ("rushna", "shah"));
        await using var proxied = await BrowserFixture.SignInPairAsync(browsers.Browser, Proxy.HttpsAddress, ("hassaan", "khaliq"), ("zara", "open, sesame"), options, options);

        List<double> viaProxy = [], viaDirect = [];
        for (var i = 0; i < messages; i++)
        {
            viaDirect.Add(await TimeOneAsync(direct, $"direct {i}"));
            viaProxy.Add(await TimeOneAsync(proxied, $"proxied {i}"));
        }

        static string Line(string name, List<double> ms)
        {
            var sorted = ms.Skip(WarmUp).Order().ToList();
            return string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{name}: p50 {sorted[sorted.Count / 2]:F1} ms, p90 {sorted[(int)(sorted.Count * 0.9)]:F1} ms, min {sorted[0]:F1} ms ({sorted.Count} messages after {WarmUp} warm-up)");
        }

        output.WriteLine(Line("direct (http, ws)", viaDirect));
        output.WriteLine(Line("through nginx (https, wss)", viaProxy));
        Assert.All(viaDirect.Concat(viaProxy), ms => Assert.InRange(ms, 0, 30_000));
        await ChatBrowserActions.EndChatAsync(direct.First);
        await ChatBrowserActions.EndChatAsync(proxied.First);
    }

    private static async Task<double> TimeOneAsync(PairedPeople people, string text)
    {
        // The partner notes when the message's text appears; the sender when Enter goes down.
        await people.Second.EvaluateAsync(@"text => {
            window.__seen = new Promise(resolve => {
                const check = () => [...document.querySelectorAll('[data-testid=message] .message-text')].some(e => e.textContent === text);
                const observer = new MutationObserver(() => { if (check()) { observer.disconnect(); resolve(performance.timeOrigin + performance.now()); } });
                observer.observe(document.body, { childList: true, subtree: true, characterData: true });
            });
        }", text);
        var box = ChatBrowserActions.MessageBox(people.First);
        await box.FillAsync(text);
        await people.First.EvaluateAsync(@"() => {
            document.addEventListener('keydown', e => { if (e.key === 'Enter') window.__sent = performance.timeOrigin + performance.now(); }, { capture: true, once: true });
        }");
        await box.PressAsync("Enter");
        var seen = await people.Second.EvaluateAsync<double>("() => window.__seen").WaitAsync(TimeSpan.FromSeconds(30));
        var sent = await people.First.EvaluateAsync<double>("() => window.__sent");
        return seen - sent;
    }

    [Fact]
    public async Task InProduction_EachShippedDemoPassword_IsReportedAtStart()
    {
        foreach (var (userName, _) in BlazorChat.Accounts.DemoPasswordWarning.DemoAccounts)
        {
            await fixture.App.WaitForOutputAsync($"The account {userName} still has its demo password", TimeSpan.FromSeconds(30));
        }
    }
}
