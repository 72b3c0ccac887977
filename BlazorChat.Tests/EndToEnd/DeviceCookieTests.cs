using System.Net;
using BlazorChat.Accounts;

namespace BlazorChat.Tests.EndToEnd;

/// <summary>A server with the default limits (5 wrong passwords, 10 attempts a minute per name) and cheap hashes.</summary>
public sealed class DeviceCookieServerFixture : IAsyncLifetime
{
    public BlazorChatServer Server { get; } = new(new Dictionary<string, string> { ["Accounts:PasswordHashIterations"] = "10000" });

    public Task InitializeAsync()
    {
        Server.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// OWASP's device cookies over real HTTP: a stranger who locks a name out (wrong passwords, then the per-name
/// throttle) does not lock out the browser its owner signed in with before.
/// </summary>
public sealed class DeviceCookieTests(DeviceCookieServerFixture fixture) : IClassFixture<DeviceCookieServerFixture>
{
    [Fact]
    public async Task OwnersBrowser_WhileAStrangerHasTheNameLockedAndThrottled_SignsIn()
    {
        // Arrange
        var device = await SignInOnceAsync("hamza", "123");
        var strangerStatuses = await LockOutAsync("hamza");
        using var stranger = fixture.Server.CreateBrowserLikeClient();
        using var strangerForm = await SignInAbuseTests.SignInForm.OpenAsync(stranger);
        var strangerWithThePassword = await strangerForm.PostAsync("hamza", "123");
        using var owner = BrowserWith(device);
        using var ownerForm = await SignInAbuseTests.SignInForm.OpenAsync(owner);

        // Act
        var response = await ownerForm.PostAsync("hamza", "123");

        // Assert
        Assert.Contains(HttpStatusCode.TooManyRequests, strangerStatuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, strangerWithThePassword.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task SignIn_RightPassword_GivesAnHttpOnlyStrictLongLivedDeviceCookie()
    {
        using var client = fixture.Server.CreateBrowserLikeClient();
        using var form = await SignInAbuseTests.SignInForm.OpenAsync(client);

        var response = await form.PostAsync("zara", "open, sesame");

        var setCookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(DeviceCookies.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/;", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("max-age=15552000", setCookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task WrongPassword_FromTheOwnersBrowser_NeverSignsInAndLocksThatBrowserAfterFive()
    {
        // Arrange
        var device = await SignInOnceAsync("rushna", "shah");
        using var owner = BrowserWith(device);
        using var form = await SignInAbuseTests.SignInForm.OpenAsync(owner);

        // Act
        List<HttpStatusCode> wrong = [];
        for (var i = 0; i < 5; i++)
        {
            wrong.Add((await form.PostAsync("rushna", $"guess{i}")).StatusCode);
        }

        var rightFromThatBrowser = await form.PostAsync("rushna", "shah");
        using var elsewhere = fixture.Server.CreateBrowserLikeClient();
        using var elsewhereForm = await SignInAbuseTests.SignInForm.OpenAsync(elsewhere);
        var rightFromElsewhere = await elsewhereForm.PostAsync("rushna", "shah");

        // Assert
        Assert.All(wrong, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.OK, rightFromThatBrowser.StatusCode);
        Assert.Contains(SignInPageInvalid, await rightFromThatBrowser.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, rightFromElsewhere.StatusCode);
    }

    [Fact]
    public async Task DeviceCookieOfAnotherName_GivesNothing()
    {
        // Arrange
        var hirasDevice = await SignInOnceAsync("hira", "najeeb");
        await LockOutAsync("karam");
        using var browser = BrowserWith(hirasDevice);
        using var form = await SignInAbuseTests.SignInForm.OpenAsync(browser);

        // Act
        var response = await form.PostAsync("karam", "naveed");

        // Assert
        Assert.NotEqual(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task TamperedOrForgedDeviceCookie_CountsAsNone()
    {
        // Arrange
        var device = await SignInOnceAsync("hassaan", "khaliq");
        await LockOutAsync("hassaan");
        string[] values =
        [
            device.Value[..^2] + (device.Value[^2] == 'A' ? 'B' : 'A') + device.Value[^1],
            device.Value[..^4],
            "CfDJ8" + new string('x', device.Value.Length - 5),
            "not base64 !",
        ];

        // Act
        List<HttpStatusCode> statuses = [];
        foreach (var value in values)
        {
            using var browser = BrowserWith(new Cookie(DeviceCookies.CookieName, value));
            using var form = await SignInAbuseTests.SignInForm.OpenAsync(browser);
            statuses.Add((await form.PostAsync("hassaan", "khaliq")).StatusCode);
        }

        // Assert: refused as any stranger is, while the real cookie still works.
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"{s}"));
        using var owner = BrowserWith(device);
        using var ownerForm = await SignInAbuseTests.SignInForm.OpenAsync(owner);
        Assert.Equal(HttpStatusCode.Redirect, (await ownerForm.PostAsync("hassaan", "khaliq")).StatusCode);
    }

    private const string SignInPageInvalid = "Invalid username or password";

    /// <summary>Signs in once in a fresh browser and gives the device cookie it kept.</summary>
    private async Task<Cookie> SignInOnceAsync(string userName, string password)
    {
        var cookies = new CookieContainer();
        using var client = fixture.Server.CreateBrowserLikeClient(cookies);
        using var form = await SignInAbuseTests.SignInForm.OpenAsync(client);
        Assert.Equal(HttpStatusCode.Redirect, (await form.PostAsync(userName, password)).StatusCode);
        return cookies.GetCookies(fixture.Server.BaseAddress)[DeviceCookies.CookieName]!;
    }

    /// <summary>A stranger's twelve wrong passwords: the name is locked and its per-minute throttle spent.</summary>
    private async Task<List<HttpStatusCode>> LockOutAsync(string userName)
    {
        using var stranger = fixture.Server.CreateBrowserLikeClient();
        using var form = await SignInAbuseTests.SignInForm.OpenAsync(stranger);
        List<HttpStatusCode> statuses = [];
        for (var i = 0; i < 12; i++)
        {
            statuses.Add((await form.PostAsync(userName, $"stranger-guess-{i}")).StatusCode);
        }

        return statuses;
    }

    /// <summary>The same browser later: signed out, with only its device cookie left.</summary>
    private HttpClient BrowserWith(Cookie device)
    {
        var cookies = new CookieContainer();
        cookies.Add(fixture.Server.BaseAddress, new Cookie(device.Name, device.Value, "/"));
        return fixture.Server.CreateBrowserLikeClient(cookies);
    }
}
