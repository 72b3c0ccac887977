using System.Net;
using System.Text.RegularExpressions;

namespace BlazorChat.Tests.EndToEnd;

/// <summary>Sign-in and sign-out as the browser does them: plain form posts with an antiforgery token.</summary>
public sealed partial class SignInHttpTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string AuthCookie = "BlazorChat.Auth";

    [Fact]
    public async Task GetHome_SignedOut_RedirectsToSignIn()
    {
        using var client = fixture.Server.CreateBrowserLikeClient();

        var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/signin?returnUrl=%2F", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task GetSignIn_ShowsLabelledFieldsAndAnAntiforgeryToken()
    {
        using var client = fixture.Server.CreateBrowserLikeClient();

        var html = await client.GetStringAsync("/signin");

        Assert.Contains("<label for=\"username\">Username</label>", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"password\">Password</label>", html, StringComparison.Ordinal);
        Assert.Matches(TokenPattern(), html);
        Assert.Contains(">Sign in</", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostSignIn_RightPassword_SetsAHttpOnlyLaxCookieAndRedirectsHome()
    {
        var cookies = new CookieContainer();
        using var client = fixture.Server.CreateBrowserLikeClient(cookies);

        var response = await PostSignInAsync(client, "hamza", "123");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(new Uri(client.BaseAddress!, "/"), RedirectTarget(client, response));
        var setCookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(AuthCookie, StringComparison.Ordinal));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);
        var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Equal("hamza", SignedInUser(await home.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task PostSignIn_OverPlainHttp_CookieIsNotMarkedSecure()
    {
        using var client = fixture.Server.CreateBrowserLikeClient();

        var response = await PostSignInAsync(client, "hira", "najeeb");

        var setCookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(AuthCookie, StringComparison.Ordinal));
        Assert.DoesNotContain("secure", setCookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task PostSignIn_OverHttps_CookieIsSecureHttpOnlyLaxAndWorks()
    {
        await using var server = new BlazorChatServer(https: true);
        server.Start();
        using var client = server.CreateBrowserLikeClient();

        var response = await PostSignInAsync(client, "hira", "najeeb");

        Assert.Equal("https", client.BaseAddress!.Scheme);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var setCookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(AuthCookie, StringComparison.Ordinal));
        Assert.Contains("; secure", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);
        var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Equal("hira", SignedInUser(await home.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task PostSignIn_NameInAnotherCase_SignsInAsTheStoredName()
    {
        using var client = fixture.Server.CreateBrowserLikeClient();

        var response = await PostSignInAsync(client, "KARAM", "naveed");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var home = await (await client.GetAsync("/")).Content.ReadAsStringAsync();
        Assert.Equal("karam", SignedInUser(home));
    }

    [Theory]
    [InlineData("hamza", "wrong")]
    [InlineData("nobody", "123")]
    [InlineData("hamza", "123 ")]
    public async Task PostSignIn_WrongCredentials_ShowsOneGenericMessageAndSetsNoCookie(string userName, string password)
    {
        using var client = fixture.Server.CreateBrowserLikeClient();

        var response = await PostSignInAsync(client, userName, password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Invalid username or password", html, StringComparison.Ordinal);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(AuthCookie, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task PostSignIn_WithoutAntiforgeryToken_IsRejected()
    {
        using var client = fixture.Server.CreateBrowserLikeClient();

        var response = await client.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["Input.UserName"] = "hamza",
            ["Input.Password"] = "123",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("//evil.example/")]
    [InlineData("https://evil.example/")]
    [InlineData("/\\evil.example")]
    [InlineData("/\t/evil.example")]
    public async Task PostSignIn_ForeignReturnUrl_GoesHomeInstead(string returnUrl)
    {
        using var client = fixture.Server.CreateBrowserLikeClient();

        var response = await PostSignInAsync(client, "hira", "najeeb", returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(new Uri(client.BaseAddress!, "/"), RedirectTarget(client, response));
    }

    [Fact]
    public async Task PostSignIn_FiveWrongPasswords_LockTheAccountEvenForTheRightOne()
    {
        using var client = fixture.Server.CreateBrowserLikeClient();
        for (var i = 0; i < 5; i++)
        {
            await PostSignInAsync(client, "hassaan", $"guess-{i}");
        }

        var response = await PostSignInAsync(client, "hassaan", "khaliq");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Invalid username or password", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostSignOut_ClearsTheCookieAndTheHomePageAsksToSignInAgain()
    {
        var cookies = new CookieContainer();
        using var client = fixture.Server.CreateBrowserLikeClient(cookies);
        await PostSignInAsync(client, "zara", "open, sesame");
        var home = await (await client.GetAsync("/")).Content.ReadAsStringAsync();
        var token = TokenPattern().Match(home).Groups["token"].Value;

        var response = await client.PostAsync("/account/signout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(new Uri(client.BaseAddress!, "/signin"), RedirectTarget(client, response));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task SignOut_ACopyOfTheOldCookie_IsRefusedAfterwards()
    {
        var cookies = new CookieContainer();
        using var client = fixture.Server.CreateBrowserLikeClient(cookies);
        await PostSignInAsync(client, "hira", "najeeb");
        var stolen = cookies.GetCookies(client.BaseAddress!)[AuthCookie]!.Value;
        var home = await (await client.GetAsync("/")).Content.ReadAsStringAsync();

        await client.PostAsync("/account/signout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = TokenPattern().Match(home).Groups["token"].Value,
        }));
        using var attacker = fixture.Server.CreateBrowserLikeClient();
        using var replay = new HttpRequestMessage(HttpMethod.Get, "/");
        replay.Headers.Add("Cookie", $"{AuthCookie}={stolen}");
        var response = await attacker.SendAsync(replay);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", RedirectTarget(attacker, response).PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostSignIn_Twice_GivesANewCookieValueEachTime()
    {
        var first = new CookieContainer();
        var second = new CookieContainer();
        using var one = fixture.Server.CreateBrowserLikeClient(first);
        using var two = fixture.Server.CreateBrowserLikeClient(second);

        await PostSignInAsync(one, "karam", "naveed");
        await PostSignInAsync(two, "karam", "naveed");

        var a = first.GetCookies(one.BaseAddress!)[AuthCookie]!.Value;
        var b = second.GetCookies(two.BaseAddress!)[AuthCookie]!.Value;
        Assert.NotEqual(a, b);
        Assert.Equal(HttpStatusCode.OK, (await one.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await two.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task PostSignOut_WithoutAntiforgeryToken_IsRejected()
    {
        using var client = fixture.Server.CreateBrowserLikeClient();
        await PostSignInAsync(client, "rushna", "shah");

        var response = await client.PostAsync("/account/signout", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
    }

    private static Uri RedirectTarget(HttpClient client, HttpResponseMessage response) =>
        new(client.BaseAddress!, response.Headers.Location!);

    private static async Task<HttpResponseMessage> PostSignInAsync(HttpClient client, string userName, string password, string? returnUrl = null)
    {
        var path = returnUrl is null ? "/signin" : $"/signin?returnUrl={Uri.EscapeDataString(returnUrl)}";
        var form = await client.GetStringAsync(path);
        var token = TokenPattern().Match(form).Groups["token"].Value;
        return await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["__RequestVerificationToken"] = token,
            ["Input.UserName"] = userName,
            ["Input.Password"] = password,
        }));
    }

    private static string SignedInUser(string html) => SignedInUserPattern().Match(html).Groups["name"].Value;

    [GeneratedRegex("data-testid=\"signed-in-user\"[^>]*>(?<name>[^<]*)<")]
    private static partial Regex SignedInUserPattern();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"(?<token>[^\"]+)\"")]
    private static partial Regex TokenPattern();
}
