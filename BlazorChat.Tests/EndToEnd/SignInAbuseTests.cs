using System.Net;
using System.Text.RegularExpressions;
using BlazorChat.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorChat.Tests.EndToEnd;

/// <summary>A server with 100 accounts (cheap hashes: the limits are under test here, not PBKDF2) and the default limits.</summary>
public sealed class CampusServerFixture : IAsyncLifetime
{
    /// <summary>student001 is for the lockout test, 002–101 the burst, 150 the per-name limit.</summary>
    public const int People = 150;

    public BlazorChatServer Server { get; } = new(
        new Dictionary<string, string> { ["Accounts:PasswordHashIterations"] = "10000" },
        "username,password\n" + string.Concat(Enumerable.Range(1, People).Select(i => $"student{i:000},pass-{i}\n")));

    public Task InitializeAsync()
    {
        Server.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

public sealed partial class SignInAbuseTests(CampusServerFixture fixture) : IClassFixture<CampusServerFixture>
{
    [Fact]
    public async Task FiftyParallelWrongPasswords_NoSuccessNoServerErrorAndTheAccountLocks()
    {
        var forms = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => SignInForm.OpenAsync(fixture.Server)));

        var responses = await Task.WhenAll(forms.Select((form, i) => form.PostAsync("student001", $"wrong-{i}")));

        var statuses = responses.Select(r => (int)r.StatusCode).ToList();
        Assert.DoesNotContain(statuses, s => s is 302 or >= 500);
        Assert.All(statuses, s => Assert.True(s is 200 or 429, $"unexpected status {s}"));
        Assert.Contains(429, statuses);
        await using var db = await fixture.Server.Services.GetRequiredService<IDbContextFactory<BlazorChatDbContext>>().CreateDbContextAsync();
        var account = await db.Users.SingleAsync(u => u.UserName == "student001");
        Assert.True(account.LockoutEndUtcTicks > DateTime.UtcNow.Ticks, "the account is locked");
        foreach (var form in forms)
        {
            form.Dispose();
        }
    }

    [Fact]
    public async Task BurstOfAHundredDistinctPeople_IsNotThrottled()
    {
        var forms = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => SignInForm.OpenAsync(fixture.Server)));

        var responses = await Task.WhenAll(forms.Select((form, i) => form.PostAsync($"student{i + 2:000}", $"pass-{i + 2}")));

        Assert.Equal(100, responses.Length);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        foreach (var form in forms)
        {
            form.Dispose();
        }
    }

    [Fact]
    public async Task ManyAttemptsForOneName_AreAnswered429WithTheReason()
    {
        using var form = await SignInForm.OpenAsync(fixture.Server);
        List<HttpStatusCode> statuses = [];
        for (var i = 0; i < 12; i++)
        {
            statuses.Add((await form.PostAsync("student150", $"guess-{i}")).StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 10).Concat([HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests]), statuses);
        var last = await form.PostAsync("student150", "pass-150");
        Assert.Equal(HttpStatusCode.TooManyRequests, last.StatusCode);
        Assert.Equal("60", last.Headers.GetValues("Retry-After").Single());
        Assert.Contains("Too many sign-in attempts", await last.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownNameWrongPasswordAndLockedAccount_GetTheSamePageAndStatus()
    {
        using var form = await SignInForm.OpenAsync(fixture.Server);
        for (var i = 0; i < 5; i++)
        {
            await form.PostAsync("student140", $"guess-{i}");
        }

        var unknown = await form.PostAsync("nobody-at-all", "pass-1");
        var wrong = await form.PostAsync("student141", "not-it");
        var locked = await form.PostAsync("student140", "pass-140");

        Assert.All([unknown, wrong, locked], r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var pages = await Task.WhenAll(new[] { unknown, wrong, locked }.Select(async r => Normalize(await r.Content.ReadAsStringAsync())));
        Assert.Contains("Invalid username or password", pages[0], StringComparison.Ordinal);
        Assert.Equal(pages[0].Replace("nobody-at-all", "student140", StringComparison.Ordinal), pages[2]);
        Assert.Equal(pages[1].Replace("student141", "student140", StringComparison.Ordinal), pages[2]);
    }

    // The antiforgery token and Blazor's encrypted component state differ per response by design.
    private static string Normalize(string html) =>
        VolatilePattern().Replace(html, "…");

    [GeneratedRegex("value=\"CfDJ[^\"]+\"|<!--Blazor[^>]*-->")]
    private static partial Regex VolatilePattern();

    /// <summary>One browser's sign-in form: its own cookies and antiforgery token, reusable for several posts.</summary>
    internal sealed partial class SignInForm : IDisposable
    {
        private readonly HttpClient _client;
        private readonly bool _ownsClient;
        private string _token;

        private SignInForm(HttpClient client, string token, bool ownsClient)
        {
            _client = client;
            _token = token;
            _ownsClient = ownsClient;
        }

        public static Task<SignInForm> OpenAsync(BlazorChatServer server) => OpenAsync(server.CreateBrowserLikeClient(), owned: true);

        /// <summary>Uses a client the caller owns (and disposes).</summary>
        public static Task<SignInForm> OpenAsync(HttpClient client) => OpenAsync(client, owned: false);

        private static async Task<SignInForm> OpenAsync(HttpClient client, bool owned) =>
            new(client, Token(await client.GetStringAsync("/signin")), owned);

        public async Task<HttpResponseMessage> PostAsync(string userName, string password)
        {
            var response = await _client.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "signin",
                ["__RequestVerificationToken"] = _token,
                ["Input.UserName"] = userName,
                ["Input.Password"] = password,
            }));
            var html = await response.Content.ReadAsStringAsync();
            if (TokenPattern().IsMatch(html))
            {
                _token = Token(html);
            }

            return response;
        }

        public void Dispose()
        {
            if (_ownsClient)
            {
                _client.Dispose();
            }
        }

        private static string Token(string html) => TokenPattern().Match(html).Groups["token"].Value;

        [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"(?<token>[^\"]+)\"")]
        private static partial Regex TokenPattern();
    }
}

public sealed class StrictAddressLimitFixture : IAsyncLifetime
{
    public BlazorChatServer Server { get; } = new(new Dictionary<string, string>
    {
        ["Accounts:PasswordHashIterations"] = "10000",
        ["Accounts:SignInsPerMinutePerAddress"] = "5",
    });

    public Task InitializeAsync()
    {
        Server.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

public sealed class SignInAddressLimitTests(StrictAddressLimitFixture fixture) : IClassFixture<StrictAddressLimitFixture>
{
    [Fact]
    public async Task PostsBeyondTheAddressLimit_Get429ButPagesStillLoad()
    {
        using var form = await SignInAbuseTests.SignInForm.OpenAsync(fixture.Server);
        string[] names = ["hamza", "karam", "hira", "rushna", "hassaan", "zara"];

        var statuses = new List<HttpStatusCode>();
        foreach (var name in names)
        {
            statuses.Add((await form.PostAsync(name, "wrong")).StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 5).Append(HttpStatusCode.TooManyRequests), statuses);
        using var client = fixture.Server.CreateBrowserLikeClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/signin")).StatusCode);
    }
}
