using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BlazorChat.Data;

/// <summary>
/// Start-up's exclusive turn on the database, and migrations that are safe even after a crash.
/// <see cref="LockAsync"/> lets one process at a time migrate, seed and make the first cookie key, so instances that
/// start together (a deploy to several machines) do not insert the same accounts twice: on SQLite an OS file lock
/// beside the database, on PostgreSQL a session advisory lock; the kernel or the server releases either when a
/// process dies. EF Core's SQLite migration lock is a row in __EFMigrationsLock with no timeout: a process killed
/// while holding it leaves the row, and every later start waits forever; whoever holds the file lock is the only one
/// migrating, so any lock row left is stale and is removed. (PostgreSQL's migration lock is a table lock in the
/// migrating transaction: it ends with the process.)
/// </summary>
public sealed partial class DatabaseMigrator(IDbContextFactory<BlazorChatDbContext> dbFactory, ILogger<DatabaseMigrator> logger)
{
    // pg_advisory_lock's key: "BlazChat" in ASCII, so that it is recognisable in pg_locks.
    private const long PostgresLockKey = 0x426C617A43686174;

    /// <summary>Takes the start-up lock and migrates. For a caller with nothing else to do under the lock.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var startupLock = await LockAsync(cancellationToken);
        await MigrateHoldingLockAsync(cancellationToken);
    }

    /// <summary>Waits for, then holds, start-up's exclusive turn on the database, until disposed.</summary>
    public async Task<IAsyncDisposable> LockAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (db.Database.IsNpgsql())
        {
            return await AcquirePostgresLockAsync(db.Database.GetConnectionString()!, cancellationToken);
        }

        var path = (db.Database.GetDbConnection() as SqliteConnection)?.DataSource;
        return string.IsNullOrEmpty(path) || path == ":memory:"
            ? new NoLock()
            : await AcquireStartupLockAsync(path + ".startup-lock", cancellationToken);
    }

    /// <summary>Applies the provider's pending migrations; only while holding <see cref="LockAsync"/>.</summary>
    public async Task MigrateHoldingLockAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!db.Database.IsSqlite())
        {
            await db.Database.MigrateAsync(cancellationToken);
            return;
        }

        if (await HasStaleMigrationLockAsync(db, cancellationToken))
        {
            await db.Database.ExecuteSqlRawAsync("DELETE FROM \"__EFMigrationsLock\";", cancellationToken);
            LogStaleLockRemoved(logger, (db.Database.GetDbConnection() as SqliteConnection)?.DataSource ?? "");
        }

        await db.Database.MigrateAsync(cancellationToken);

        // WAL lets sign-ins read while another writes; the mode is stored in the file.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }

    private async Task<NpgsqlConnection> AcquirePostgresLockAsync(string connectionString, CancellationToken cancellationToken)
    {
        // Unpooled, so that disposing the connection ends its session, and the session's lock with it.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var tryLock = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
            tryLock.Parameters.AddWithValue("key", PostgresLockKey);
            if (await tryLock.ExecuteScalarAsync(cancellationToken) is not true)
            {
                LogWaitingForLock(logger, "a PostgreSQL advisory lock");

                // Another instance may be seeding many accounts: wait as long as it takes, like the file lock.
                await using var waitLock = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection) { CommandTimeout = 0 };
                waitLock.Parameters.AddWithValue("key", PostgresLockKey);
                await waitLock.ExecuteNonQueryAsync(cancellationToken);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
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

    private sealed class NoLock : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Removed a migration lock left by a process that stopped during start-up ({Path})")]
    private static partial void LogStaleLockRemoved(ILogger logger, string path);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Another instance is starting on the same database; waiting for {LockPath}")]
    private static partial void LogWaitingForLock(ILogger logger, string lockPath);
}
