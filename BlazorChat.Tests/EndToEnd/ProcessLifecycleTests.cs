using Microsoft.Data.Sqlite;
using Xunit.Abstractions;
using AppProcess = BlazorChat.LoadTest.Ladder.AppProcess;

namespace BlazorChat.Tests.EndToEnd;

[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class ProcessLifecycleTests(BrowserFixture fixture, ITestOutputHelper output) : IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("blazorchat-process-").FullName;

    [Fact]
    public async Task SigTerm_WithPeopleChatting_ExitsWithinTenSecondsAndDataSurvivesARestart()
    {
        await using (var app = StartApp())
        {
            await app.WaitUntilListeningAsync(TimeSpan.FromSeconds(60));
            var accountsBefore = ReadAccounts();
            await using var hamzaContext = await fixture.Browser.NewContextAsync();
            await using var karamContext = await fixture.Browser.NewContextAsync();
            var hamza = await BrowserFixture.SignInAsync(hamzaContext, app.BaseAddress, "hamza", "123");
            var karam = await BrowserFixture.SignInAsync(karamContext, app.BaseAddress, "karam", "naveed");
            await BrowserFixture.PairAsync(hamza, "hamza", karam, "karam");

            var took = await app.StopWithSigTermAsync(TimeSpan.FromSeconds(30));

            output.WriteLine($"SIGTERM to exit with two live circuits: {took.TotalSeconds:F2} s");
            Assert.True(took < TimeSpan.FromSeconds(10), $"shutdown took {took.TotalSeconds:F1} s");
            Assert.Equal(0, app.ExitCode);

            await using var restarted = StartApp();
            await restarted.WaitUntilListeningAsync(TimeSpan.FromSeconds(60));
            await restarted.StopWithSigTermAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(accountsBefore, ReadAccounts());
            Assert.Equal("ok", IntegrityCheck());
        }
    }

    [Fact]
    public async Task Restart_KeepsPeopleSignedIn()
    {
        var cookies = new System.Net.CookieContainer();
        await using (var first = StartApp())
        {
            await first.WaitUntilListeningAsync(TimeSpan.FromSeconds(60));
            using var client = CreateClient(first.BaseAddress, cookies);
            using var form = await SignInAbuseTests.SignInForm.OpenAsync(client);
            Assert.Equal(System.Net.HttpStatusCode.Redirect, (await form.PostAsync("hira", "najeeb")).StatusCode);
            await first.StopWithSigTermAsync(TimeSpan.FromSeconds(30));
        }

        await using var second = StartApp();
        await second.WaitUntilListeningAsync(TimeSpan.FromSeconds(60));
        // The restarted app listens on another port: send the same cookies by hand.
        using var again = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = second.BaseAddress };
        again.DefaultRequestHeaders.Add("Cookie", string.Join("; ", cookies.GetAllCookies().Select(c => $"{c.Name}={c.Value}")));

        var home = await again.GetAsync("/");

        Assert.Equal(System.Net.HttpStatusCode.OK, home.StatusCode);
        Assert.Matches("data-testid=\"signed-in-user\"[^>]*>hira<", await home.Content.ReadAsStringAsync());
    }

    private static HttpClient CreateClient(Uri baseAddress, System.Net.CookieContainer cookies) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies, UseCookies = true }) { BaseAddress = baseAddress };

    [Fact]
    public async Task KillDuringSeeding_TheNextStartSeedsEveryAccount()
    {
        const int people = 60;
        var seed = "username,password\n" + string.Concat(Enumerable.Range(1, people).Select(i => $"person{i:00},secret-{i}\n"));
        var seedPath = Path.Combine(_dataDirectory, "seed.csv");
        await File.WriteAllTextAsync(seedPath, seed);
        var settings = new Dictionary<string, string> { ["Seed:UsersCsv"] = seedPath, ["Accounts:PasswordHashIterations"] = "100000" };

        foreach (var delay in new[] { 600, 1200, 2000 })
        {
            await using var doomed = StartApp(settings);
            await Task.Delay(delay);
            await doomed.KillAsync();
            output.WriteLine($"killed after {delay} ms; accounts then: {ReadAccountsOrNone().Count}");
            Assert.True(ReadAccountsOrNone().Count is 0 or people, "an import is all or nothing");
        }

        await using var app = StartApp(settings);
        await app.WaitUntilListeningAsync(TimeSpan.FromSeconds(120));
        await app.StopWithSigTermAsync(TimeSpan.FromSeconds(30));

        var accounts = ReadAccounts();
        Assert.Equal(people, accounts.Count);
        Assert.Equal(Enumerable.Range(1, people).Select(i => $"person{i:00}"), accounts.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("ok", IntegrityCheck());
    }

    /// <summary>The app from its own build output, as `dotnet run` starts it, with its data in this test's folder; does not wait.</summary>
    private AppProcess StartApp(IReadOnlyDictionary<string, string>? settings = null)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // As `dotnet run` does: an unpublished build serves its static files (blazor.web.js, MudBlazor) only in Development.
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Logging:LogLevel:Default"] = "Information",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        return AppProcess.Start(AppBuildDirectory(), _dataDirectory, all);
    }

    /// <summary>BlazorChat's own build output, built in the same configuration as these tests.</summary>
    private static string AppBuildDirectory()
    {
        var testDirectory = new DirectoryInfo(AppContext.BaseDirectory);
        var framework = testDirectory.Name;
        var configuration = testDirectory.Parent!.Name;
        var root = testDirectory;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "BlazorChat.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException($"BlazorChat.sln was not found above {AppContext.BaseDirectory}.");
        }

        return Path.Combine(root.FullName, "BlazorChat", "bin", configuration, framework);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    private string DatabasePath => Path.Combine(_dataDirectory, "blazorchat.db");

    private Dictionary<string, string> ReadAccounts() => ReadAccounts($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");

    private static Dictionary<string, string> ReadAccounts(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT UserName, PasswordHash FROM Users";
        using var reader = command.ExecuteReader();
        Dictionary<string, string> accounts = [];
        while (reader.Read())
        {
            accounts[reader.GetString(0)] = reader.GetString(1);
        }

        return accounts;
    }

    private Dictionary<string, string> ReadAccountsOrNone()
    {
        if (!File.Exists(DatabasePath))
        {
            return [];
        }

        // A process killed mid-write leaves a journal that only a writer can roll back, and a read-only
        // connection refuses to open it ("attempt to write a readonly database"). So a copy is read, opened as a
        // writer: what it shows is what any reader sees once the journal is rolled back, and the app's own files
        // are left for its next start to recover.
        var copy = Directory.CreateTempSubdirectory("blazorchat-killed-").FullName;
        try
        {
            foreach (var suffix in new[] { "", "-journal", "-wal", "-shm" })
            {
                if (File.Exists(DatabasePath + suffix))
                {
                    File.Copy(DatabasePath + suffix, Path.Combine(copy, "blazorchat.db" + suffix));
                }
            }

            return ReadAccounts($"Data Source={Path.Combine(copy, "blazorchat.db")};Pooling=False");
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 1 && ex.Message.Contains("no such table: Users", StringComparison.Ordinal))
        {
            // Killed before the migration created the table.
            return [];
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    private string IntegrityCheck()
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)command.ExecuteScalar()!;
    }
}
