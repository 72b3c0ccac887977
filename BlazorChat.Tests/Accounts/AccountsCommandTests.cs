using System.Diagnostics;
using BlazorChat.Accounts;
using Microsoft.Data.Sqlite;

namespace BlazorChat.Tests.Accounts;

/// <summary><c>accounts …</c> end to end: the command's own entry on a database of its own, and once as the real process.</summary>
public sealed class AccountsCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("blazorchat-accounts-").FullName;

    private string Database => Path.Combine(_folder, "blazorchat.db");

    private string[] Settings =>
    [
        "--ConnectionStrings:BlazorChat", $"Data Source={Database}",
        "--DataProtection:KeysPath", Path.Combine(_folder, "keys"),
        "--Accounts:PasswordHashIterations", "10000",
    ];

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Add_WithThePasswordOnStandardInput_AddsAnAccountThatListShowsWithoutItsHash()
    {
        var added = await RunAsync("s3cret-pass\n", "add", "Amina");
        var listed = await RunAsync("", "list");

        Assert.Equal((0, "Added the account 'Amina'."), (added.ExitCode, added.Out.Trim()));
        Assert.Equal(0, listed.ExitCode);
        Assert.Matches(@"(?m)^Amina\s+enabled\s+never\s*$", listed.Out);
        Assert.Contains("1 account(s), 0 disabled.", listed.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("AQAAAA", listed.Out, StringComparison.Ordinal);
        Assert.NotEqual(Microsoft.AspNetCore.Identity.PasswordVerificationResult.Failed, PasswordVerificationResultFor("Amina", "s3cret-pass"));
    }

    [Theory]
    [InlineData("AMINA", "'AMINA' is the same name as the existing account 'Amina'")]
    [InlineData("Amina", "the account 'Amina' already exists")]
    [InlineData("ａｍｉｎａ", "is the same name as the existing account 'Amina'")]
    [InlineData("has space", "'has space' is not allowed as a username")]
    [InlineData("waytoolongusername-waytoolongusername", "is not allowed as a username")]
    public async Task Add_ABadOrTakenName_FailsSayingWhyAndAddsNothing(string name, string message)
    {
        await RunAsync("first\n", "add", "Amina");

        var result = await RunAsync("second\n", "add", name);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Equal(["Amina"], UserNames());
    }

    [Fact]
    public async Task Add_AtATerminal_AsksTwiceAndRefusesDifferentPasswords()
    {
        Queue<string> typed = new(["one-password", "another-one"]);
        var console = new CommandConsole(new StringReader(""), new StringWriter(), new StringWriter(), InputRedirected: false, () => typed.Dequeue());

        var exitCode = await AccountsCommand.RunAsync(["accounts", "add", "Amina", .. Settings], console);

        Assert.Equal(1, exitCode);
        Assert.Contains("The two passwords differ", console.Error.ToString(), StringComparison.Ordinal);
        Assert.Contains("New password for Amina: ", console.Out.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("one-password", console.Out.ToString(), StringComparison.Ordinal);
        Assert.Empty(UserNames());
    }

    [Fact]
    public async Task Add_WithAnEmptyPassword_IsRefused()
    {
        var result = await RunAsync("\n", "add", "Amina");

        Assert.Equal((1, "The password is empty. Nothing was changed."), (result.ExitCode, result.Error.Trim()));
        Assert.Empty(UserNames());
    }

    [Theory]
    [InlineData("passwd")]
    [InlineData("disable")]
    [InlineData("enable")]
    public async Task AnUnknownName_FailsNamingIt(string verb)
    {
        await RunAsync("pw\n", "add", "Amina");

        var result = await RunAsync("new-pw\n", verb, "Nobody");

        Assert.Equal((1, "There is no account 'Nobody'."), (result.ExitCode, result.Error.Trim()));
    }

    [Fact]
    public async Task Passwd_SetsTheNewPasswordAndEndsEverySession()
    {
        await RunAsync("old-pw\n", "add", "Amina");
        Execute("INSERT INTO Sessions (Id, UserId, CreatedUtcTicks) SELECT 'abc', Id, 1 FROM Users");

        var result = await RunAsync("new-pw\n", "passwd", "amina");

        Assert.Equal((0, "Changed the password of 'Amina' and signed it out everywhere."), (result.ExitCode, result.Out.Trim()));
        Assert.NotEqual(Microsoft.AspNetCore.Identity.PasswordVerificationResult.Failed, PasswordVerificationResultFor("Amina", "new-pw"));
        Assert.Equal(0L, Scalar("SELECT COUNT(*) FROM Sessions WHERE EndedUtcTicks IS NULL"));
    }

    [Fact]
    public async Task DisableAndEnable_SetTheFlagThatListShows()
    {
        await RunAsync("pw\n", "add", "Amina");
        Execute("INSERT INTO Sessions (Id, UserId, CreatedUtcTicks) SELECT 'abc', Id, 1 FROM Users");

        var disabled = await RunAsync("", "disable", "AMINA");
        var listedDisabled = await RunAsync("", "list");
        var enabled = await RunAsync("", "enable", "Amina");
        var listedEnabled = await RunAsync("", "list");

        Assert.Equal("Disabled 'Amina' and ended its 1 open session(s); its tabs close within seconds.", disabled.Out.Trim());
        Assert.Matches(@"(?m)^Amina\s+disabled\s+never", listedDisabled.Out);
        Assert.Equal((0, "Enabled 'Amina'."), (enabled.ExitCode, enabled.Out.Trim()));
        Assert.Matches(@"(?m)^Amina\s+enabled\s+never", listedEnabled.Out);
    }

    [Fact]
    public async Task Import_AGoodFile_AddsEveryAccount()
    {
        var csv = Write("people.csv", "username,password\nbilal,\"a, b\"\nsana,pw2\n");

        var result = await RunAsync("", "import", csv);

        Assert.Equal((0, "Imported 2 account(s): bilal, sana."), (result.ExitCode, result.Out.Trim()));
        Assert.Equal(["bilal", "sana"], UserNames());
        Assert.NotEqual(Microsoft.AspNetCore.Identity.PasswordVerificationResult.Failed, PasswordVerificationResultFor("bilal", "a, b"));
    }

    [Fact]
    public async Task Import_AMalformedRow_NamesItsLineAndImportsNothing()
    {
        var csv = Write("people.csv", "username,password\nbilal,pw1\nsana\"x,pw2\nbad name,pw3\n");

        var result = await RunAsync("", "import", csv);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{csv} line 3: a quote inside an unquoted field", result.Error, StringComparison.Ordinal);
        Assert.Contains($"{csv} line 4: username 'bad name' is not allowed", result.Error, StringComparison.Ordinal);
        Assert.Empty(UserNames());
    }

    [Fact]
    public async Task Import_ANameTheDatabaseHas_ImportsNothing()
    {
        await RunAsync("pw\n", "add", "Sana");
        var csv = Write("people.csv", "username,password\nbilal,pw1\nSANA,pw2\n");

        var result = await RunAsync("", "import", csv);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{csv} line 3: 'SANA' is the same name as the existing account 'Sana'", result.Error, StringComparison.Ordinal);
        Assert.Equal(["Sana"], UserNames());
    }

    [Theory]
    [InlineData(new[] { "accounts" }, 2, "Usage:")]
    [InlineData(new[] { "accounts", "remove", "x" }, 2, "Unknown command 'accounts remove'.")]
    [InlineData(new[] { "accounts", "add" }, 2, "'accounts add' takes one operand, not 0.")]
    [InlineData(new[] { "accounts", "import", "/no/such/file.csv" }, 1, "There is no file /no/such/file.csv.")]
    public async Task UsageMistakes_ExitNonZeroWithAMessage(string[] args, int exitCode, string message)
    {
        var console = new CommandConsole(new StringReader(""), new StringWriter(), new StringWriter(), InputRedirected: true);

        var result = await AccountsCommand.RunAsync([.. args, .. Settings], console);

        Assert.Equal(exitCode, result);
        Assert.Contains(message, console.Out.ToString() + console.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAppsBinary_RunFromAnotherFolder_ResolvesItsPathsInItsOwnFolderAndManagesAccounts()
    {
        var app = AppBuildDirectory();
        var elsewhere = Directory.CreateDirectory(Path.Combine(_folder, "elsewhere")).FullName;
        var relative = $"App_Data/accounts-test-{Guid.NewGuid():N}.db";
        var database = Path.Combine(app, relative);
        try
        {
            var added = await RunProcessAsync(app, elsewhere, relative, "pw-from-stdin\n", "accounts", "add", "Amina");
            var listed = await RunProcessAsync(app, elsewhere, relative, "", "accounts", "list");
            var refused = await RunProcessAsync(app, elsewhere, relative, "pw\n", "accounts", "add", "amina");

            Assert.True(added.ExitCode == 0, added.Error);
            Assert.Equal("Added the account 'Amina'.", added.Out.Trim());
            Assert.Matches(@"(?m)^Amina\s+enabled\s+never", listed.Out);
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("same name as the existing account 'Amina'", refused.Error, StringComparison.Ordinal);
            Assert.True(File.Exists(database), "the relative database path resolves against the app's folder");
            Assert.Empty(Directory.GetFileSystemEntries(elsewhere));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(database)!, Path.GetFileName(database) + "*"))
            {
                File.Delete(file);
            }
        }
    }

    private async Task<(int ExitCode, string Out, string Error)> RunAsync(string input, params string[] words)
    {
        var console = new CommandConsole(new StringReader(input), new StringWriter(), new StringWriter(), InputRedirected: true);
        var exitCode = await AccountsCommand.RunAsync(["accounts", .. words, .. Settings], console);
        return (exitCode, console.Out.ToString()!, console.Error.ToString()!);
    }

    private static async Task<(int ExitCode, string Out, string Error)> RunProcessAsync(string appFolder, string workingDirectory, string database, string input, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(appFolder, "BlazorChat.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ConnectionStrings__BlazorChat"] = $"Data Source={database}";
        start.Environment["Accounts__PasswordHashIterations"] = "10000";
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await output, await error);
    }

    /// <summary>BlazorChat's own build output, in the same configuration as these tests.</summary>
    private static string AppBuildDirectory()
    {
        var testDirectory = new DirectoryInfo(AppContext.BaseDirectory);
        var root = Hosting.NginxProxy.RepositoryRoot;
        return Path.Combine(root, "BlazorChat", "bin", testDirectory.Parent!.Name, testDirectory.Name);
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    private List<string> UserNames()
    {
        if (!File.Exists(Database))
        {
            return [];
        }

        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT UserName FROM Users ORDER BY UserName";
        using var reader = command.ExecuteReader();
        List<string> names = [];
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private Microsoft.AspNetCore.Identity.PasswordVerificationResult PasswordVerificationResultFor(string userName, string password)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT PasswordHash FROM Users WHERE UserName = $name";
        command.Parameters.AddWithValue("$name", userName);
        var hash = (string)command.ExecuteScalar()!;
        return new Microsoft.AspNetCore.Identity.PasswordHasher<object>().VerifyHashedPassword(new object(), hash, password);
    }

    private void Execute(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private long Scalar(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={Database};Pooling=False");
        connection.Open();
        return connection;
    }
}
