using BlazorChat.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BlazorChat.Accounts;

/// <summary>Two stored accounts are the same name under <see cref="UserNames"/>; the message names them.</summary>
public sealed class UserNameConflictException(string message) : Exception(message);

/// <summary>
/// Imports the seed file's accounts that the database does not have yet, all in one transaction. Existing
/// accounts are never changed, so a second start adds nothing and changes no password.
/// </summary>
public sealed partial class UserSeeder(
    IDbContextFactory<BlazorChatDbContext> dbFactory,
    PasswordHasher<UserAccount> hasher,
    IOptions<SeedOptions> options,
    IHostEnvironment environment,
    ILogger<UserSeeder> logger)
{
    /// <summary>Where the seed file is looked for, in order: the setting's one path, or the defaults.</summary>
    public IReadOnlyList<string> SeedFileCandidates =>
        (options.Value.UsersCsv is { Length: > 0 } path ? [path] : SeedOptions.DefaultUsersCsv)
            .Select(p => Path.GetFullPath(Path.Combine(environment.ContentRootPath, p)))
            .ToList();

    /// <summary>The first candidate that exists, or null.</summary>
    public string? SeedFilePath => SeedFileCandidates.FirstOrDefault(File.Exists);

    /// <summary>Returns how many accounts were added.</summary>
    public async Task<int> SeedAsync(CancellationToken cancellationToken)
    {
        var path = SeedFilePath;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (path is null)
        {
            var tried = string.Join(" or ", SeedFileCandidates);
            if (await db.Users.AnyAsync(cancellationToken))
            {
                LogNoSeedFile(logger, tried);
                return 0;
            }

            throw new SeedFileException($"The seed file does not exist (looked for {tried}) and the database has no accounts: nobody could sign in.");
        }

        var users = SeedUserCsv.Parse(await File.ReadAllTextAsync(path, cancellationToken), path);
        var existing = (await db.Users.Select(u => u.NormalizedUserName).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        if (users.Count == 0 && existing.Count == 0)
        {
            throw new SeedFileException($"The seed file {path} lists no account and the database has none: nobody could sign in.");
        }

        var missing = users.Where(u => !existing.Contains(UserNames.Normalize(u.UserName))).ToList();
        if (missing.Count == 0)
        {
            LogUpToDate(logger, users.Count);
            return 0;
        }

        // Hashing is deliberately slow; do it before the transaction, on every core.
        var accounts = missing
            .AsParallel()
            .AsOrdered()
            .WithCancellation(cancellationToken)
            .Select(u => new UserAccount
            {
                UserName = u.UserName,
                NormalizedUserName = UserNames.Normalize(u.UserName),
                PasswordHash = hasher.HashPassword(null!, u.Password),
            })
            .ToList();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Users.AddRange(accounts);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogSeeded(logger, accounts.Count, path);
        return accounts.Count;
    }

    /// <summary>
    /// Brings every stored NormalizedUserName up to the current <see cref="UserNames.Normalize"/>, so that accounts
    /// stored under an older rule are still found. Two accounts that the rule now makes the same name stop start-up,
    /// named: one of them must be renamed. Returns how many rows changed.
    /// </summary>
    public async Task<int> RenormalizeAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var accounts = await db.Users.OrderBy(u => u.Id).ToListAsync(cancellationToken);
        var clashes = accounts
            .GroupBy(u => UserNames.Normalize(u.UserName), StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => string.Join(" and ", g.Select(u => $"'{u.UserName}' (id {u.Id})")))
            .ToList();
        if (clashes.Count > 0)
        {
            throw new UserNameConflictException(
                "These accounts are the same name under the user-name rule (case and width ignored, ſ is s), so sign-in "
                + $"could not tell them apart; rename all but one of each in the database: {string.Join("; ", clashes)}.");
        }

        var changed = accounts.Where(u => u.NormalizedUserName != UserNames.Normalize(u.UserName)).ToList();
        foreach (var account in changed)
        {
            account.NormalizedUserName = UserNames.Normalize(account.UserName);
        }

        await db.SaveChangesAsync(cancellationToken);
        if (changed.Count > 0)
        {
            LogRenormalized(logger, changed.Count);
        }

        return changed.Count;
    }

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Updated the normalized name of {Count} account(s) to the current rule")]
    private static partial void LogRenormalized(ILogger logger, int count);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Added {Count} account(s) from {Path}")]
    private static partial void LogSeeded(ILogger logger, int count, string path);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "All {Count} account(s) of the seed file already exist")]
    private static partial void LogUpToDate(ILogger logger, int count);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "No seed file at {Path}; using the accounts already in the database")]
    private static partial void LogNoSeedFile(ILogger logger, string path);
}
