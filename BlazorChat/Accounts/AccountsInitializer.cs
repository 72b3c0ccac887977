using BlazorChat.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorChat.Accounts;

/// <summary>
/// Runs before the server starts listening: applies migrations (recovering from a crash mid-migration), brings stored normalized names up to the current rule, switches SQLite to WAL, imports the seed
/// file and loads the account names. Any failure stops start-up with its message.
/// </summary>
public sealed class AccountsInitializer(
    IDbContextFactory<BlazorChatDbContext> dbFactory,
    DatabaseMigrator migrator,
    UserSeeder seeder,
    AccountDirectory directory) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await migrator.MigrateAsync(cancellationToken);

        // Recomputed at every start rather than by a migration, so a change of the rule needs no migration.
        await seeder.RenormalizeAsync(cancellationToken);
        await seeder.SeedAsync(cancellationToken);

        await using var reader = await dbFactory.CreateDbContextAsync(cancellationToken);
        directory.Replace(await reader.Users.Select(u => u.UserName).ToListAsync(cancellationToken));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
