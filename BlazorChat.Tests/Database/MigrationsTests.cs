using BlazorChat.Data;
using BlazorChat.Tests.Accounts;
using BlazorChat.Tests.EndToEnd;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace BlazorChat.Tests.Database;

/// <summary>Each provider has its own, complete migrations: the model has no change they miss, and SQLite's still apply.</summary>
public sealed class MigrationsTests
{
    public static TheoryData<string> Providers => [nameof(DatabaseProvider.Sqlite), nameof(DatabaseProvider.Postgres)];

    [Theory]
    [MemberData(nameof(Providers))]
    public void Model_EachProvider_HasNoChangeWithoutAMigration(string provider)
    {
        // Comparing the model with the last snapshot opens no connection, so no server is needed.
        using var db = Context(provider);

        Assert.False(db.Database.HasPendingModelChanges(), $"Run `dotnet ef migrations add` for {provider} (docs/configuration.md says how).");
    }

    [Fact]
    public void Migrations_OfEachProvider_AreItsOwnOnly()
    {
        using var sqlite = Context(nameof(DatabaseProvider.Sqlite));
        using var postgres = Context(nameof(DatabaseProvider.Postgres));

        var sqliteMigrations = sqlite.Database.GetMigrations().ToList();
        var postgresMigrations = postgres.Database.GetMigrations().ToList();

        Assert.Equal("20261124055126_InitialCreate", sqliteMigrations[0]);
        Assert.Contains(sqliteMigrations, m => m.EndsWith("_DataProtectionKeys", StringComparison.Ordinal));
        Assert.Empty(sqliteMigrations.Intersect(postgresMigrations));
        Assert.NotEmpty(postgresMigrations);
    }

    [Fact]
    public async Task Migrate_EmptySqliteFile_AppliesEveryMigrationWithTheKeyTable()
    {
        await using var database = await AccountsTestDatabase.CreateAsync();
        await using var db = await database.Factory.CreateDbContextAsync();

        db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = "key-test", Xml = "<key />" });
        await db.SaveChangesAsync();

        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        Assert.Equal("key-test", (await db.DataProtectionKeys.SingleAsync()).FriendlyName);
    }

    [Theory]
    [InlineData("Oracle", "Database:Provider")]
    [InlineData("7", "Database:Provider")]
    public async Task Start_UnknownProvider_StopsStartUpNamingTheSetting(string value, string setting)
    {
        // The check a start makes first (ValidateOnStart), on the app's own registrations. Not through a test server:
        // there, a failed start races the app's own disposal and may surface only as an ObjectDisposedException.
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder();
        builder.Configuration["Database:Provider"] = value;
        BlazorChat.Hosting.BlazorChatExtensions.AddBlazorChat(builder);
        await using var app = builder.Build();

        var error = Record.Exception(app.Services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate);

        Assert.NotNull(error);
        Assert.Contains(setting, Messages(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_PostgresWithoutAConnectionString_StopsStartUpNamingIt()
    {
        await using var server = new BlazorChatServer(new Dictionary<string, string>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:BlazorChat"] = "",
        });

        var error = Record.Exception(server.Start);

        Assert.NotNull(error);
        Assert.Contains("ConnectionStrings:BlazorChat must be set when Database:Provider is Postgres", Messages(error), StringComparison.Ordinal);
    }

    private static BlazorChatDbContext Context(string provider)
    {
        var options = new DbContextOptionsBuilder<BlazorChatDbContext>();
        return provider == nameof(DatabaseProvider.Postgres)
            ? new PostgresDbContext(options.UseNpgsql("Host=127.0.0.1;Database=unused").Options)
            : new BlazorChatDbContext(options.UseSqlite("Data Source=:memory:").Options);
    }

    private static string Messages(Exception error) => error switch
    {
        AggregateException aggregate => string.Join(" | ", aggregate.InnerExceptions.Select(Messages)),
        { InnerException: { } inner } => error.Message + " | " + Messages(inner),
        _ => error.Message,
    };
}
