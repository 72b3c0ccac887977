using BlazorChat.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace BlazorChat.Accounts;

/// <summary>An operator's request that cannot be done as asked; the message says why, and nothing was changed.</summary>
public sealed class AccountCommandException(string message) : Exception(message);

/// <summary>One account as <c>accounts list</c> shows it: never its hash.</summary>
public sealed record AccountSummary(string UserName, bool Disabled, DateTimeOffset? LastSignIn);

/// <summary>
/// What an operator does to accounts (the <c>accounts</c> command) and a person to their own password: the same
/// hasher, names rule and database as sign-in. Whatever ends sessions ends them in the database, so the running app
/// refuses their cookies at the next request and closes their open tabs within seconds (<see cref="AccountChangeWatcher"/>).
/// </summary>
public sealed class AccountAdministration(
    IDbContextFactory<BlazorChatDbContext> dbFactory,
    PasswordHasher<UserAccount> hasher,
    TimeProvider time)
{
    public async Task<string> AddAsync(string userName, string password, CancellationToken cancellationToken)
    {
        CheckName(userName);
        CheckPassword(password);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var normalized = UserNames.Normalize(userName);
        if (await db.Users.Where(u => u.NormalizedUserName == normalized).Select(u => u.UserName).FirstOrDefaultAsync(cancellationToken) is { } existing)
        {
            throw new AccountCommandException(Same(userName, existing));
        }

        db.Users.Add(new UserAccount { UserName = userName, NormalizedUserName = normalized, PasswordHash = hasher.HashPassword(null!, password) });
        await db.SaveChangesAsync(cancellationToken);
        return userName;
    }

    /// <summary>Sets a new password, clears any lockout and ends every session of the account. Returns the name as stored.</summary>
    public async Task<string> SetPasswordAsync(string userName, string password, CancellationToken cancellationToken)
    {
        CheckPassword(password);
        var hash = hasher.HashPassword(null!, password);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var account = await FindAsync(db, userName, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Users.Where(u => u.Id == account.Id).ExecuteUpdateAsync(
            s => s.SetProperty(u => u.PasswordHash, hash).SetProperty(u => u.FailedSignInCount, 0).SetProperty(u => u.LockoutEndUtcTicks, 0L),
            cancellationToken);
        await EndSessionsAsync(db, account.Id, keep: null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return account.UserName;
    }

    /// <summary>Disables the account and ends every session of it. Returns the name as stored and how many sessions ended.</summary>
    public async Task<(string UserName, int SessionsEnded)> DisableAsync(string userName, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var account = await FindAsync(db, userName, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Users.Where(u => u.Id == account.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.Disabled, true), cancellationToken);
        var ended = await EndSessionsAsync(db, account.Id, keep: null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (account.UserName, ended);
    }

    public async Task<string> EnableAsync(string userName, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var account = await FindAsync(db, userName, cancellationToken);
        await db.Users.Where(u => u.Id == account.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.Disabled, false), cancellationToken);
        return account.UserName;
    }

    public async Task<IReadOnlyList<AccountSummary>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Users.AsNoTracking()
            .Select(u => new { u.UserName, u.Disabled, u.LastSignInUtcTicks })
            .ToListAsync(cancellationToken);
        return [.. rows
            .OrderBy(r => r.UserName, StringComparer.OrdinalIgnoreCase)
            .Select(r => new AccountSummary(r.UserName, r.Disabled, r.LastSignInUtcTicks is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null))];
    }

    /// <summary>
    /// Adds every account of a seed-format CSV, or none: a bad row (named by its line) or a name the database already
    /// has stops the import before anything is written. Returns the names added.
    /// </summary>
    public async Task<IReadOnlyList<string>> ImportAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new AccountCommandException($"There is no file {Path.GetFullPath(path)}.");
        }

        IReadOnlyList<SeedUser> users;
        try
        {
            users = SeedUserCsv.Parse(await File.ReadAllTextAsync(path, cancellationToken), path);
        }
        catch (SeedFileException ex)
        {
            throw new AccountCommandException(ex.Message.Replace("The seed file", "The file", StringComparison.Ordinal));
        }

        if (users.Count == 0)
        {
            throw new AccountCommandException($"The file {path} lists no account; nothing was imported.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stored = (await db.Users.Select(u => new { u.NormalizedUserName, u.UserName }).ToListAsync(cancellationToken))
            .ToDictionary(u => u.NormalizedUserName, u => u.UserName, StringComparer.Ordinal);
        var clashes = users
            .Where(u => stored.ContainsKey(UserNames.Normalize(u.UserName)))
            .Select(u => $"  {path} line {u.Line}: {Same(u.UserName, stored[UserNames.Normalize(u.UserName)])}")
            .ToList();
        if (clashes.Count > 0)
        {
            throw new AccountCommandException(
                $"The file {path} has {clashes.Count} account(s) the database already has; nothing was imported:{Environment.NewLine}"
                + string.Join(Environment.NewLine, clashes));
        }

        // Hashing is deliberately slow; do it before the transaction, on every core.
        var accounts = users.AsParallel().AsOrdered().WithCancellation(cancellationToken)
            .Select(u => new UserAccount { UserName = u.UserName, NormalizedUserName = UserNames.Normalize(u.UserName), PasswordHash = hasher.HashPassword(null!, u.Password) })
            .ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Users.AddRange(accounts);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return [.. accounts.Select(a => a.UserName)];
    }

    /// <summary>
    /// A signed-in person's own change: the current password must be right. Ends every other session of theirs
    /// (<paramref name="currentSessionId"/> stays). Returns false when the current password is wrong.
    /// </summary>
    public async Task<bool> ChangeOwnPasswordAsync(int userId, string currentPassword, string newPassword, string? currentSessionId, CancellationToken cancellationToken)
    {
        CheckPassword(newPassword);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stored = await db.Users.Where(u => u.Id == userId && !u.Disabled).Select(u => u.PasswordHash).SingleOrDefaultAsync(cancellationToken);
        if (stored is null || hasher.VerifyHashedPassword(null!, stored, currentPassword) == PasswordVerificationResult.Failed)
        {
            return false;
        }

        var hash = hasher.HashPassword(null!, newPassword);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.PasswordHash, hash), cancellationToken);
        await EndSessionsAsync(db, userId, currentSessionId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Why a password cannot be used, or null: the same bounds as the seed file.</summary>
    public static string? PasswordProblem(string password) =>
        password.Length == 0 ? "The password is empty."
        : password.Length > SeedUserCsv.MaxPasswordLength ? $"The password is longer than {SeedUserCsv.MaxPasswordLength} characters."
        : null;

    private Task<int> EndSessionsAsync(BlazorChatDbContext db, int userId, string? keep, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcTicks;
        return db.Sessions
            .Where(s => s.UserId == userId && s.EndedUtcTicks == null && s.Id != keep)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedUtcTicks, now), cancellationToken);
    }

    private static async Task<UserAccount> FindAsync(BlazorChatDbContext db, string userName, CancellationToken cancellationToken)
    {
        var normalized = UserNames.Normalize(userName);
        return await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.NormalizedUserName == normalized, cancellationToken)
            ?? throw new AccountCommandException($"There is no account '{userName}'.");
    }

    private static void CheckName(string userName)
    {
        if (!UserNameRules.IsValid(userName))
        {
            throw new AccountCommandException($"'{userName}' is not allowed as a username: use {UserNameRules.Description}.");
        }
    }

    private static void CheckPassword(string password)
    {
        if (PasswordProblem(password) is { } problem)
        {
            throw new AccountCommandException(problem);
        }
    }

    private static string Same(string given, string existing) =>
        string.Equals(given, existing, StringComparison.Ordinal)
            ? $"the account '{existing}' already exists"
            : $"'{given}' is the same name as the existing account '{existing}' (names are compared ignoring case and width)";
}
