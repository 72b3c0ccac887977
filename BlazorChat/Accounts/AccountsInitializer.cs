using BlazorChat.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorChat.Accounts;

/// <summary>
/// Runs before the server starts listening: applies migrations (recovering from a crash mid-migration), brings stored normalized names up to the current rule, switches SQLite to WAL, imports the seed
/// file and any old cookie key files (or makes the first key), and loads the account names, all but the last in
/// start-up's exclusive turn on the database, so that instances starting together take turns. Any failure stops
/// start-up with its message.
/// It works in <see cref="StartingAsync"/>, before every hosted service's StartAsync: data protection reads its keys
/// from the database in its own, so the key table must exist (and hold the imported keys) by then.
/// </summary>
public sealed class AccountsInitializer(
    IDbContextFactory<BlazorChatDbContext> dbFactory,
    DatabaseMigrator migrator,
    UserSeeder seeder,
    CookieKeys cookieKeys,
    AccountDirectory directory) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await using (await migrator.LockAsync(cancellationToken))
        {
            await migrator.MigrateHoldingLockAsync(cancellationToken);

            // Recomputed at every start rather than by a migration, so a change of the rule needs no migration.
            await seeder.RenormalizeAsync(cancellationToken);
            await seeder.SeedAsync(cancellationToken);
            await cookieKeys.ImportKeyFilesAsync(cancellationToken);
            await cookieKeys.CreateFirstKeyAsync(cancellationToken);
        }

        await using var reader = await dbFactory.CreateDbContextAsync(cancellationToken);
        directory.Replace(await reader.Users.Select(u => u.UserName).ToListAsync(cancellationToken));
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
