using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BlazorChat.Data;

/// <summary>
/// Applies migrations safely even after a crash. On PostgreSQL, EF Core's migration lock is held by the migrating
/// connection's transaction, so the server drops it with a dead process, and concurrent starts wait for one another:
/// nothing more is needed. EF Core's SQLite migration lock is a row in
/// __EFMigrationsLock with no timeout: a process killed while holding it leaves the row, and every later
/// start waits forever. So start-up first takes an OS file lock beside the database (released by the
/// kernel when a process dies). Whoever holds it is the only one migrating, so any lock row left is stale
/// and is removed. A second instance on the same file waits for the first instead of migrating alongside.
/// </summary>
public sealed partial class DatabaseMigrator(IDbContextFactory<BlazorChatDbContext> dbFactory, ILogger<DatabaseMigrator> logger)
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!db.Database.IsSqlite())
        {
            await db.Database.MigrateAsync(cancellationToken);
            return;
        }

        var path = (db.Database.GetDbConnection() as SqliteConnection)?.DataSource;
        using var startupLock = string.IsNullOrEmpty(path) || path == ":memory:"
            ? null
            : await AcquireStartupLockAsync(path + ".startup-lock", cancellationToken);

        if (await HasStaleMigrationLockAsync(db, cancellationToken))
        {
            await db.Database.ExecuteSqlRawAsync("DELETE FROM \"__EFMigrationsLock\";", cancellationToken);
            LogStaleLockRemoved(logger, path ?? "");
        }

        await db.Database.MigrateAsync(cancellationToken);

        // WAL lets sign-ins read while another writes; the mode is stored in the file.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }

    private static async Task<bool> HasStaleMigrationLockAsync(BlazorChatDbContext db, CancellationToken cancellationToken)
    {
        var tables = await db.Database
            .SqlQueryRaw<long>("SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsLock'")
            .SingleAsync(cancellationToken);
        return tables > 0 && await db.Database
            .SqlQueryRaw<long>("SELECT COUNT(*) AS \"Value\" FROM \"__EFMigrationsLock\"")
            .SingleAsync(cancellationToken) > 0;
    }

    private async Task<FileStream> AcquireStartupLockAsync(string lockPath, CancellationToken cancellationToken)
    {
        var waited = false;
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive advisory lock (flock) on Linux: gone when the process is.
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                if (!waited)
                {
                    LogWaitingForLock(logger, lockPath);
                    waited = true;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
            }
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Removed a migration lock left by a process that stopped during start-up ({Path})")]
    private static partial void LogStaleLockRemoved(ILogger logger, string path);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Another instance is starting on the same database; waiting for {LockPath}")]
    private static partial void LogWaitingForLock(ILogger logger, string lockPath);
}
