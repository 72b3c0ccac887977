using BlazorChat.Accounts;
using BlazorChat.Data;
using BlazorChat.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BlazorChat.Tests.Database;

/// <summary>
/// Instances that start at the same moment on an empty PostgreSQL database (a deploy to several machines) take turns:
/// one migrates, seeds and makes the first cookie key; the other finds them done, and both start.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ConcurrentStartTests(PostgresServer postgres) : IDisposable
{
    private const int SeedAccounts = 40;

    private readonly string _contentRoot = Directory.CreateTempSubdirectory("blazorchat-concurrent-").FullName;

    public void Dispose() => Directory.Delete(_contentRoot, recursive: true);

    [Fact]
    public async Task StartingAsync_TwoInstancesAtOnceOnAnEmptyDatabase_BothStartWithOneSeedAndOneKey()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        Directory.CreateDirectory(Path.Combine(_contentRoot, "Data"));
        await File.WriteAllLinesAsync(
            Path.Combine(_contentRoot, "Data", "seed-users.csv"),
            ["username,password", .. Enumerable.Range(1, SeedAccounts).Select(i => $"person{i},password-{i}")]);
        await using var a = BuildApp(connectionString);
        await using var b = BuildApp(connectionString);

        // Both run what the host runs before anything else: the accounts initializer's StartingAsync.
        await Task.WhenAll(Task.Run(() => StartingAsync(a)), Task.Run(() => StartingAsync(b)));

        await using var db = await a.Services.GetRequiredService<IDbContextFactory<BlazorChatDbContext>>().CreateDbContextAsync();
        Assert.Equal(SeedAccounts, await db.Users.CountAsync());
        Assert.Equal(1, await db.DataProtectionKeys.CountAsync());
    }

    private WebApplication BuildApp(string connectionString)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = _contentRoot, EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:BlazorChat"] = connectionString,
            ["Accounts:PasswordHashIterations"] = "10000",
        });
        builder.AddBlazorChat();
        return builder.Build();
    }

    private static Task StartingAsync(WebApplication app) =>
        app.Services.GetServices<IHostedService>().OfType<AccountsInitializer>().Single().StartingAsync(CancellationToken.None);
}
