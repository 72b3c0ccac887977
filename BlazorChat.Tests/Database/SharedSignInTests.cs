using System.Net;
using System.Text.RegularExpressions;
using BlazorChat.Tests.EndToEnd;
using SignInForm = BlazorChat.Tests.EndToEnd.SignInAbuseTests.SignInForm;

namespace BlazorChat.Tests.Database;

/// <summary>
/// Two instances on one database are one sign-in service: the cookie keys and the sessions are rows of the database,
/// so a cookie made by A is valid on B, and signing out on A ends the session on B too. Each instance still has a key
/// folder of its own (BlazorChatServer gives each one), as separate machines would.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class SharedSignInTests(PostgresServer postgres)
{
    private const string AuthCookie = "BlazorChat.Auth";

    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task Cookie_MadeOnInstanceA_IsValidOnInstanceBUntilSignedOutOnA(string provider)
    {
        var settings = provider == "Postgres"
            ? new Dictionary<string, string> { ["Database:Provider"] = "Postgres", ["ConnectionStrings:BlazorChat"] = await postgres.CreateDatabaseAsync() }
            : [];
        await using var a = new BlazorChatServer(settings, seedCsv: "username,password\nhamza,123\n");
        a.Start();

        // On SQLite, B opens A's file.
        settings.TryAdd("ConnectionStrings:BlazorChat", $"Data Source={Path.Combine(a.DataDirectory, "blazorchat.db")}");
        await using var b = new BlazorChatServer(settings);
        b.Start();
        var cookies = new CookieContainer();
        using var onA = a.CreateBrowserLikeClient(cookies);
        using (var form = await SignInForm.OpenAsync(onA))
        {
            Assert.Equal(HttpStatusCode.Redirect, (await form.PostAsync("hamza", "123")).StatusCode);
        }

        var cookie = cookies.GetCookies(a.BaseAddress)[AuthCookie]!.Value;

        using (var before = await GetHomeAsync(b, cookie))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
            Assert.Equal("hamza", SignedInUserPattern().Match(await before.Content.ReadAsStringAsync()).Groups["name"].Value);
        }

        var home = await onA.GetStringAsync("/");
        using (var signOut = await onA.PostAsync("/account/signout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = TokenPattern().Match(home).Groups["token"].Value,
        })))
        {
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        }

        using var after = await GetHomeAsync(b, cookie);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/signin", after.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> GetHomeAsync(BlazorChatServer server, string authCookie)
    {
        using var client = server.CreateBrowserLikeClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", $"{AuthCookie}={authCookie}");
        return await client.SendAsync(request);
    }

    [GeneratedRegex("data-testid=\"signed-in-user\"[^>]*>(?<name>[^<]*)<")]
    private static partial Regex SignedInUserPattern();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"(?<token>[^\"]+)\"")]
    private static partial Regex TokenPattern();
}
