using BlazorChat.Accounts;
using BlazorChat.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BlazorChat.Tests.Accounts;

/// <summary>
/// A migrated SQLite file of its own in a temp folder, which is also the content root the seed file is
/// written to. Deleted on dispose.
/// </summary>
internal sealed class AccountsTestDatabase : IAsyncDisposable
{
    private AccountsTestDatabase(string folder)
    {
        Folder = folder;
        Factory = new PooledDbContextFactory<BlazorChatDbContext>(
            new DbContextOptionsBuilder<BlazorChatDbContext>()
                .UseSqlite($"Data Source={Path.Combine(folder, "accounts.db")}")
                .Options);
    }

    public string Folder { get; }

    public IDbContextFactory<BlazorChatDbContext> Factory { get; }

    /// <summary>Where <see cref="CreateSeeder"/> reads the seed file.</summary>
    public string SeedFilePath => Path.Combine(Folder, "Data", "seed-users.csv");

    /// <summary>The real hasher with few iterations, so tests stay fast; the format is the app's (V3).</summary>
    public static PasswordHasher<UserAccount> CreateFastHasher() =>
        new(Options.Create(new PasswordHasherOptions { IterationCount = 1000 }));

    public static async Task<AccountsTestDatabase> CreateAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "blazorchat-accounts-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var database = new AccountsTestDatabase(folder);
        await using var db = await database.Factory.CreateDbContextAsync();
        await db.Database.MigrateAsync();

        // The app switches the file to WAL at start-up (AccountsInitializer); test the same mode.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        return database;
    }

    /// <summary>A seeder with the default options and <see cref="Folder"/> (or <paramref name="contentRoot"/>) as content root.</summary>
    public UserSeeder CreateSeeder(PasswordHasher<UserAccount> hasher, string? contentRoot = null) =>
        new(Factory, hasher, Options.Create(new SeedOptions()), new TestHostEnvironment(contentRoot ?? Folder), NullLogger<UserSeeder>.Instance);

    public async Task WriteSeedFileAsync(string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(SeedFilePath)!);
        await File.WriteAllTextAsync(SeedFilePath, content);
    }

    public async Task AddUserAsync(string userName, string passwordHash)
    {
        await using var db = await Factory.CreateDbContextAsync();
        db.Users.Add(new UserAccount
        {
            UserName = userName,
            NormalizedUserName = UserNames.Normalize(userName),
            PasswordHash = passwordHash,
        });
        await db.SaveChangesAsync();
    }

    public async Task<List<UserAccount>> ReadUsersAsync()
    {
        await using var db = await Factory.CreateDbContextAsync();
        return await db.Users.AsNoTracking().OrderBy(u => u.Id).ToListAsync();
    }

    public async Task<UserAccount> ReadUserAsync(string userName)
    {
        var normalized = UserNames.Normalize(userName);
        await using var db = await Factory.CreateDbContextAsync();
        return await db.Users.AsNoTracking().SingleAsync(u => u.NormalizedUserName == normalized);
    }

    public ValueTask DisposeAsync()
    {
        // Pooled SQLite connections keep the file open; close them before deleting it.
        SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
