using BlazorChat.Accounts;

namespace BlazorChat.Tests.Database;

/// <summary>The operator's <c>accounts …</c> command with Database:Provider=Postgres.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAccountsCommandTests(PostgresServer postgres)
{
    [Fact]
    public async Task Add_OnAnEmptyPostgresDatabase_MigratesItAndListShowsTheAccount()
    {
        var connectionString = await postgres.CreateDatabaseAsync();

        var added = await RunAsync(connectionString, "s3cret-pass\n", "add", "Amina");
        var listed = await RunAsync(connectionString, "", "list");

        Assert.Equal((0, "Added the account 'Amina'."), (added.ExitCode, added.Out.Trim()));
        Assert.Equal(0, listed.ExitCode);
        Assert.Matches(@"(?m)^Amina\s+enabled\s+never\s*$", listed.Out);
    }

    [Fact]
    public async Task List_PostgresUnreachable_SaysTheDatabaseCouldNotBeUsed()
    {
        // A loopback port that nobody listens on: the connection is refused at once.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = await RunAsync($"Host=127.0.0.1;Port={port};Username=postgres;Database=blazorchat", "", "list");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("The database could not be used", result.Error, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Out, string Error)> RunAsync(string connectionString, string input, params string[] words)
    {
        var console = new CommandConsole(new StringReader(input), new StringWriter(), new StringWriter(), InputRedirected: true);
        var exitCode = await AccountsCommand.RunAsync(
        [
            "accounts", .. words,
            "--Database:Provider", "Postgres",
            "--ConnectionStrings:BlazorChat", connectionString,
            "--Accounts:PasswordHashIterations", "10000",
        ], console);
        return (exitCode, console.Out.ToString()!, console.Error.ToString()!);
    }
}
