using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.Tests.EndToEnd;

public sealed class SecurityHeadersTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Theory]
    [InlineData("/signin")]
    [InlineData("/")]
    [InlineData("/not-there")]
    [InlineData("/app.css")]
    public async Task EveryResponse_CarriesTheSecurityHeaders(string path)
    {
        using var client = fixture.Server.CreateBrowserLikeClient();

        var response = await client.GetAsync(path);

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src 'self' 'unsafe-inline'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task SignInPage_HasNoInlineScript()
    {
        using var client = fixture.Server.CreateBrowserLikeClient();

        var html = await client.GetStringAsync("/signin");

        var scripts = System.Text.RegularExpressions.Regex.Matches(html, "<script(?<attrs>[^>]*)>(?<body>.*?)</script>", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.NotEmpty(scripts);
        Assert.All(scripts, m =>
        {
            Assert.Contains("src=", m.Groups["attrs"].Value, StringComparison.Ordinal);
            Assert.True(string.IsNullOrWhiteSpace(m.Groups["body"].Value), $"inline script: {m.Value}");
        });
    }

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("http://127.0.0.1.evil.example")]
    [InlineData("null")]
    public async Task BlazorHub_FromAnotherSite_IsRefused(string origin)
    {
        Assert.Equal(HttpStatusCode.Forbidden, await fixture.Server.OpenHubFromAsync(origin));
    }

    [Fact]
    public async Task BlazorHub_FromThisSite_IsAccepted()
    {
        Assert.Equal(HttpStatusCode.OK, await fixture.Server.OpenHubFromAsync(fixture.Server.BaseAddress.GetLeftPart(UriPartial.Authority)));
    }
}

[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class ContentSecurityPolicyBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task SignInAndChat_UnderThePolicy_ReportNoViolation()
    {
        List<string> violations = [];
        await using var zaraContext = await NewWatchedContextAsync(violations);
        await using var hassaanContext = await NewWatchedContextAsync(violations);

        // Every page a chat goes through, in both browsers: sign-in, the list with a request, the chat, its end.
        var zara = await fixture.SignInAsync(zaraContext, "zara", "open, sesame");
        var hassaan = await fixture.SignInAsync(hassaanContext, "hassaan", "khaliq");
        await zara.GetByRole(AriaRole.Button, new() { Name = "Chat with hassaan" }).ClickAsync();
        await Expect(zara.GetByTestId("waiting")).ToContainTextAsync("waiting for hassaan");
        await hassaan.GetByRole(AriaRole.Button, new() { Name = "Chat with zara" }).ClickAsync();
        await Expect(zara.GetByTestId("allowed-notice")).ToBeVisibleAsync();
        await ChatBrowserActions.SendAsync(zara, "hi <b>there</b>");
        await Expect(ChatBrowserActions.MessageTexts(hassaan)).ToHaveTextAsync(["hi <b>there</b>"]);
        await ChatBrowserActions.EndChatAsync(hassaan);
        await Expect(zara.GetByTestId("notice")).ToHaveTextAsync("hassaan ended the chat.");

        Assert.Empty(violations);
    }

    private async Task<IBrowserContext> NewWatchedContextAsync(List<string> violations)
    {
        var context = await fixture.Browser.NewContextAsync();
        context.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                lock (violations)
                {
                    violations.Add(message.Text);
                }
            }
        };
        return context;
    }
}
