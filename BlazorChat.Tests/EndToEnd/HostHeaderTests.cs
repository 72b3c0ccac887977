using System.Net;
using System.Text.RegularExpressions;

namespace BlazorChat.Tests.EndToEnd;

/// <summary>
/// A request whose Host names another site never gets that site back in a Location: every redirect the app
/// makes (the cookie middleware's challenge, Blazor's NavigateTo while rendering on the server, the sign-out
/// endpoint's LocalRedirect) points at a path on this site.
/// </summary>
public sealed partial class HostHeaderTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string SpoofedHost = "evil.example";

    [Theory]
    [InlineData(SpoofedHost)]
    [InlineData("EVIL.example:80")]
    [InlineData("evil.example:8443")]
    [InlineData("[::1]")]
    public async Task EveryRedirect_WithASpoofedHost_HasARelativeLocation(string host)
    {
        // Arrange: a signed-in browser, whose cookies and tokens the spoofed requests carry.
        var cookies = new CookieContainer();
        using var client = fixture.Server.CreateBrowserLikeClient(cookies);
        var signInPage = await client.GetStringAsync("/signin");
        var anonymousCookies = cookies.GetCookieHeader(fixture.Server.BaseAddress);
        var signInToken = Token(signInPage);
        var signedIn = await client.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["__RequestVerificationToken"] = signInToken,
            ["Input.UserName"] = "rushna",
            ["Input.Password"] = "shah",
        }));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var userCookies = cookies.GetCookieHeader(fixture.Server.BaseAddress);
        var signOutToken = Token(await client.GetStringAsync("/"));

        // Act
        var redirects = new Dictionary<string, RawHttp.Response>
        {
            ["challenge for the chat page"] = await SpoofedAsync(host, "GET", "/"),
            ["challenge with a query"] = await SpoofedAsync(host, "GET", "/?x=1"),
            ["sign-in page when signed in"] = await SpoofedAsync(host, "GET", "/signin?returnUrl=%2F", userCookies),
            ["sign-in post"] = await SpoofedAsync(host, "POST", "/signin?returnUrl=%2F%3Fx%3D1", anonymousCookies,
                RawHttp.SignInForm(signInToken, "karam", "naveed")),
            ["sign-out post"] = await SpoofedAsync(host, "POST", "/account/signout", userCookies,
                $"__RequestVerificationToken={WebUtility.UrlEncode(signOutToken)}"),
        };

        // Assert
        Assert.All(redirects, r =>
        {
            Assert.True(r.Value.Status == 302, $"{r.Key}: {r.Value.Status}");
            var location = r.Value.Headers["Location"];
            Assert.DoesNotContain(host, location, StringComparison.OrdinalIgnoreCase);
            Assert.True(location.StartsWith('/') && !location.StartsWith("//", StringComparison.Ordinal), $"{r.Key}: {location}");
        });
        Assert.Equal("/signin?returnUrl=%2F", redirects["challenge for the chat page"].Headers["Location"]);
        Assert.Equal("/?x=1", redirects["sign-in post"].Headers["Location"]);
        Assert.Equal("/signin", redirects["sign-out post"].Headers["Location"]);
    }

    [Fact]
    public async Task AllowedHosts_Set_RefusesARequestForAnotherHost()
    {
        await using var server = new BlazorChatServer(new Dictionary<string, string> { ["AllowedHosts"] = "chat.example;127.0.0.1" });
        server.Start();

        var spoofed = await RawHttp.SendAsync(server.BaseAddress, "GET", "/signin", host: SpoofedHost);
        var own = await RawHttp.SendAsync(server.BaseAddress, "GET", "/signin", host: "chat.example");

        Assert.Equal(400, spoofed.Status);
        Assert.Equal(200, own.Status);
    }

    private Task<RawHttp.Response> SpoofedAsync(string host, string method, string target, string? cookie = null, string? form = null) =>
        RawHttp.SendAsync(fixture.Server.BaseAddress, method, target, host, cookie is null ? [] : [("Cookie", cookie)], form);

    private static string Token(string html) => TokenPattern().Match(html).Groups["token"].Value;

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"(?<token>[^\"]+)\"")]
    private static partial Regex TokenPattern();
}
