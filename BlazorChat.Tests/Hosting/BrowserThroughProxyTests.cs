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
}
