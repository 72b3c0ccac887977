using System.Globalization;
using BlazorChat.Tests.EndToEnd;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace BlazorChat.Tests.Hosting;

/// <summary>Two people chat in Chromium through the shipped nginx site over https and wss, as on a real server.</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class BrowserThroughProxyTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task AWholeChat_ThroughTheTlsProxy_StaysOnHttpsAndWss_WithASecureCookie()
    {
        await using var proxy = await NginxProxy.StartAsync(fixture.Server.BaseAddress.Port);
        List<string> addresses = [];
        var options = new BrowserNewContextOptions { IgnoreHTTPSErrors = true };
        var first = BrowserFixture.Student(9);
        var second = BrowserFixture.Student(10);
        await using var people = await BrowserFixture.SignInPairAsync(fixture.Browser, proxy.HttpsAddress, first, second, options, options);
        foreach (var page in new[] { people.First, people.Second })
        {
            page.Request += (_, request) => { lock (addresses) { addresses.Add(request.Url); } };
            page.WebSocket += (_, socket) => { lock (addresses) { addresses.Add(socket.Url); } };
        }

        await ChatBrowserActions.SendAsync(people.First, "hello through nginx");
        await Assertions.Expect(ChatBrowserActions.MessageTexts(people.Second)).ToContainTextAsync(["hello through nginx"]);
        await ChatBrowserActions.SendAsync(people.Second, "and back");
        await Assertions.Expect(ChatBrowserActions.MessageTexts(people.First)).ToContainTextAsync(["hello through nginx", "and back"]);

        // A reload opens a new live connection: it must come through the proxy as wss too.
        await people.First.ReloadAsync();
        await BrowserFixture.WaitUntilLiveAsync(people.First);

        var cookies = await people.FirstContext.CookiesAsync();
        Assert.True(cookies.Single(c => c.Name == "BlazorChat.Auth").Secure);
        lock (addresses)
        {
            output.WriteLine(string.Join(Environment.NewLine, addresses.Distinct()));
            Assert.Contains(addresses, a => a.StartsWith($"wss://{proxy.HttpsAddress.Authority}/_blazor", StringComparison.Ordinal));
            Assert.All(addresses, a => Assert.True(a.StartsWith("https://", StringComparison.Ordinal) || a.StartsWith("wss://", StringComparison.Ordinal), a));
        }

        Assert.Contains("\"GET /_blazor?id=", proxy.AccessLog, StringComparison.Ordinal);
    }

    /// <summary>
    /// The figure for docs/hosting.md: how long a message takes from the sender's Enter to the partner's page showing it,
    /// through the proxy and direct, in one run (same browser, same server). Timed in the pages on one clock
    /// (performance.timeOrigin + now), one message at a time.
    /// </summary>
    [Fact]
    public async Task DeliveryLatency_ThroughTheProxyAndDirect_SideBySide()
    {
        const int Messages = 25;
        await using var proxy = await NginxProxy.StartAsync(fixture.Server.BaseAddress.Port);
        var options = new BrowserNewContextOptions { IgnoreHTTPSErrors = true };
        await using var direct = await BrowserFixture.SignInPairAsync(fixture.Browser, fixture.Server.BaseAddress, BrowserFixture.Student(11), BrowserFixture.Student(14));
        await using var proxied = await BrowserFixture.SignInPairAsync(fixture.Browser, proxy.HttpsAddress, BrowserFixture.Student(15), BrowserFixture.Student(22), options, options);

        // Interleaved, so both paths see the same machine load.
        List<double> viaProxy = [], viaDirect = [];
        for (var i = 0; i < Messages; i++)
        {
            viaDirect.Add(await TimeOneAsync(direct, $"direct {i}", i));
            viaProxy.Add(await TimeOneAsync(proxied, $"proxied {i}", i));
        }

        string Line(string name, List<double> ms)
        {
            var sorted = ms.Skip(5).Order().ToList();
            return string.Create(CultureInfo.InvariantCulture, $"{name}: p50 {sorted[sorted.Count / 2]:F1} ms, p90 {sorted[(int)(sorted.Count * 0.9)]:F1} ms, min {sorted[0]:F1} ms ({sorted.Count} messages after 5 warm-up)");
        }

        output.WriteLine(Line("direct (http, ws)", viaDirect));
        output.WriteLine(Line("through nginx (https, wss)", viaProxy));
        Assert.Equal(Messages, viaProxy.Count);
    }

    private static async Task<double> TimeOneAsync(PairedPeople people, string text, int index)
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
        var seen = await people.Second.EvaluateAsync<double>("() => window.__seen");
        var sent = await people.First.EvaluateAsync<double>("() => window.__sent");
        await Assertions.Expect(ChatBrowserActions.MessageTexts(people.Second)).ToHaveCountAsync(index + 1);
        return seen - sent;
    }
}
