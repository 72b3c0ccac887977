using System.Net;
using BlazorChat.Tests.EndToEnd;
using Microsoft.Data.Sqlite;
using SignInForm = BlazorChat.Tests.EndToEnd.SignInAbuseTests.SignInForm;

namespace BlazorChat.Tests.Hosting;

/// <summary>Which callers may say who the client is (X-Forwarded-For) and how it came (X-Forwarded-Proto); the app directly on loopback.</summary>
public sealed class ForwardedHeadersTests
{
    private static Dictionary<string, string> Settings(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string>
        {
            ["Accounts:PasswordHashIterations"] = "10000",
            ["Accounts:SignInsPerMinutePerAddress"] = "1",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    [Fact]
    public async Task ByDefault_ALoopbackProxyNamesTheClient_SoEachClientHasItsOwnLimit()
    {
        await using var server = new BlazorChatServer(Settings());
        server.Start();

        Assert.Equal(HttpStatusCode.OK, await SignInFromAsync(server, "203.0.113.7"));
        Assert.Equal(HttpStatusCode.OK, await SignInFromAsync(server, "203.0.113.8"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignInFromAsync(server, "203.0.113.7"));
    }

    [Theory]
    [InlineData("Hosting:KnownProxies", "10.1.2.3")]
    [InlineData("Hosting:KnownNetworks", "10.0.0.0/8, fd00::/64")]
    public async Task FromACallerNotTrusted_TheForwardedClientIsIgnored(string key, string value)
    {
        await using var server = new BlazorChatServer(Settings((key, value)));
        server.Start();

        Assert.Equal(HttpStatusCode.OK, await SignInFromAsync(server, "203.0.113.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignInFromAsync(server, "203.0.113.8"));
    }

    [Fact]
    public async Task ForwardedProto_FromATrustedProxy_MakesTheCookieSecure_AndFromAnotherDoesNot()
    {
        await using var trusting = new BlazorChatServer(Settings());
        await using var distrusting = new BlazorChatServer(Settings(("Hosting:KnownProxies", "10.1.2.3")));
        trusting.Start();
        distrusting.Start();

        Assert.Contains("; secure", await AuthCookieAsync(trusting), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("; secure", await AuthCookieAsync(distrusting), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Readyz_WithMigrationsMissing_IsUnhealthy_WhileHealthzStillAnswers()
    {
        await using var server = new BlazorChatServer(Settings());
        server.Start();
        using var client = server.CreateBrowserLikeClient();
        SqliteConnection.ClearAllPools();
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "blazorchat.db")}"))
        {
            await connection.OpenAsync();
            await using var drop = connection.CreateCommand();
            drop.CommandText = "DELETE FROM \"__EFMigrationsHistory\" WHERE \"MigrationId\" = (SELECT MAX(\"MigrationId\") FROM \"__EFMigrationsHistory\")";
            await drop.ExecuteNonQueryAsync();
        }

        using var ready = await client.GetAsync("/readyz");
        using var live = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", await live.Content.ReadAsStringAsync());
    }

    private static async Task<HttpStatusCode> SignInFromAsync(BlazorChatServer server, string client)
    {
        using var http = server.CreateBrowserLikeClient();
        http.DefaultRequestHeaders.Add("X-Forwarded-For", client);
        using var form = await SignInForm.OpenAsync(http);
        using var response = await form.PostAsync("nobody", "wrong");
        return response.StatusCode;
    }

    private static async Task<string> AuthCookieAsync(BlazorChatServer server)
    {
        var cookies = new CookieContainer();
        using var http = server.CreateBrowserLikeClient(cookies);
        http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        using var form = await SignInForm.OpenAsync(http);

        // Behind a trusted proxy the antiforgery cookie is Secure too; this client reaches the test server on plain http
        // (where a browser would be on https), so it hands the cookie back as a browser would.
        foreach (var cookie in cookies.GetAllCookies().ToList())
        {
            cookies.Add(new Cookie(cookie.Name, cookie.Value, cookie.Path, cookie.Domain));
        }

        using var response = await form.PostAsync("hira", "najeeb");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("BlazorChat.Auth=", StringComparison.Ordinal));
    }
}
