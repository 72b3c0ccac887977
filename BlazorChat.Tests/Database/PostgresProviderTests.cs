using System.Net;
using System.Text.RegularExpressions;
using BlazorChat.Components.Account;
using BlazorChat.Data;
using BlazorChat.Tests.EndToEnd;
using Microsoft.EntityFrameworkCore;
using SignInForm = BlazorChat.Tests.EndToEnd.SignInAbuseTests.SignInForm;

namespace BlazorChat.Tests.Database;

/// <summary>The app on PostgreSQL (Database:Provider=Postgres): an empty database is migrated and seeded, and sign-in works on it.</summary>
[Collection(PostgresCollection.Name)]
public sealed partial class PostgresProviderTests(PostgresServer postgres)
{
    private const string SeedCsv = "username,password\nhamza,123\nkaram,naveed\n";

    [Fact]
    public async Task Start_EmptyPostgresDatabase_AppliesItsMigrationsSeedsTheCsvAndIsReady()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var server = PostgresApp(connectionString);

        server.Start();

        await using var db = await server.Services.GetRequiredService<IDbContextFactory<BlazorChatDbContext>>().CreateDbContextAsync();
        Assert.IsType<PostgresDbContext>(db);
        Assert.True(db.Database.IsNpgsql());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(["hamza", "karam"], await db.Users.OrderBy(u => u.UserName).Select(u => u.UserName).ToListAsync());
        using var client = server.CreateBrowserLikeClient();
        using var ready = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SignIn_OnPostgres_TakesTheRightPasswordAndRefusesAWrongOne()
    {
        await using var server = PostgresApp(await postgres.CreateDatabaseAsync());
        server.Start();
        using var client = server.CreateBrowserLikeClient();
        using var form = await SignInForm.OpenAsync(client);

        using var wrong = await form.PostAsync("hamza", "124");
        using var right = await form.PostAsync("hamza", "123");

        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("Invalid username or password", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        using var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
    }

    [Fact]
    public async Task ChangePassword_OnPostgres_IsKeptAcrossARestart()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using (var first = PostgresApp(connectionString))
        {
            first.Start();
            using var client = first.CreateBrowserLikeClient();
            using (var form = await SignInForm.OpenAsync(client))
            {
                Assert.Equal(HttpStatusCode.Redirect, (await form.PostAsync("karam", "naveed")).StatusCode);
            }

            Assert.Contains(ChangePasswordPage.ChangedMessage, await ChangePasswordAsync(client, "naveed", "fresh-pw"), StringComparison.Ordinal);
        }

        await using var second = PostgresApp(connectionString);
        second.Start();
        using var anew = second.CreateBrowserLikeClient();
        using var signIn = await SignInForm.OpenAsync(anew);

        Assert.Equal(HttpStatusCode.OK, (await signIn.PostAsync("karam", "naveed")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await signIn.PostAsync("karam", "fresh-pw")).StatusCode);
    }

    /// <summary>The app on <paramref name="connectionString"/>, seeded from <see cref="SeedCsv"/>, hashing with the fewest iterations allowed.</summary>
    internal static BlazorChatServer PostgresApp(string connectionString) => new(
        new Dictionary<string, string>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:BlazorChat"] = connectionString,
            ["Accounts:PasswordHashIterations"] = "10000",
        },
        seedCsv: SeedCsv);

    private static async Task<string> ChangePasswordAsync(HttpClient client, string current, string fresh)
    {
        var page = await client.GetStringAsync("/account/password");
        using var response = await client.PostAsync("/account/password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "password",
            ["__RequestVerificationToken"] = TokenPattern().Match(page).Groups["token"].Value,
            ["Input.Current"] = current,
            ["Input.New"] = fresh,
            ["Input.Again"] = fresh,
        }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"(?<token>[^\"]+)\"")]
    private static partial Regex TokenPattern();
}
