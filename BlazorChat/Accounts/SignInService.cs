using System.Threading.RateLimiting;
using BlazorChat.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BlazorChat.Accounts;

public enum SignInOutcome
{
    Succeeded,
    WrongCredentials,
    LockedOut,

    /// <summary>Too many attempts for this username this minute; nothing was checked.</summary>
    Throttled,

    /// <summary>The password was right but the operator has disabled the account; said only to someone who knows it.</summary>
    Disabled,
}

public sealed record SignInResult(SignInOutcome Outcome, int UserId = 0, string UserName = "")
{
    public bool Succeeded => Outcome == SignInOutcome.Succeeded;
}

/// <summary>
/// Checks a username and password. Counting wrong passwords and locking the account are single SQL
/// statements, so attempts that arrive in parallel are all counted. Unknown names, wrong passwords and
/// locked accounts all cost one hash, so their timing gives nothing away.
/// <para>
/// OWASP's device cookies: an attempt that presents a valid <see cref="DeviceToken"/> for the account it names
/// comes from a browser that signed in to it before. It is not held up by the account's lockout or the per-name
/// throttle, which strangers share and could spend to lock the owner out; instead each device cookie has its own
/// budget of wrong passwords (<see cref="DeviceFailures"/>), and one that fails too often is refused for the
/// lockout duration. A device cookie for another account counts as none.
/// </para>
/// </summary>
public sealed partial class SignInService(
    IDbContextFactory<BlazorChatDbContext> dbFactory,
    PasswordHasher<UserAccount> hasher,
    IOptions<AccountOptions> options,
    TimeProvider time,
    ILogger<SignInService> logger) : IDisposable
{
    private readonly Lazy<string> _dummyHash = new(() => hasher.HashPassword(null!, Guid.NewGuid().ToString()));
    private readonly DeviceFailures _deviceFailures = new(options, time);

    // Per username, known or not, so throttling says nothing about which accounts exist.
    private readonly PartitionedRateLimiter<string> _perUser = PartitionedRateLimiter.Create<string, string>(name =>
        RateLimitPartition.GetSlidingWindowLimiter(name, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = options.Value.SignInsPerMinutePerUser,
            Window = TimeSpan.FromMinutes(1),
            SegmentsPerWindow = 6,
            QueueLimit = 0,
        }));

    // PBKDF2 takes a core for its whole run: a burst of sign-ins must not take every core from the chats.
    private readonly SemaphoreSlim _passwordChecks = new(options.Value.MaxConcurrentPasswordChecks);

    public void Dispose()
    {
        _perUser.Dispose();
        _passwordChecks.Dispose();
    }

    public Task<SignInResult> SignInAsync(string? userName, string? password, CancellationToken cancellationToken) =>
        SignInAsync(userName, password, device: null, cancellationToken);

    /// <summary>A sign-in from a browser that sent <paramref name="device"/>, its valid device cookie (or null).</summary>
    public async Task<SignInResult> SignInAsync(string? userName, string? password, DeviceToken? device, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(userName) || string.IsNullOrEmpty(password)
            || userName.Length > UserNameRules.MaxLength || password.Length > SeedUserCsv.MaxPasswordLength)
        {
            return new SignInResult(SignInOutcome.WrongCredentials);
        }

        var normalized = UserNames.Normalize(userName);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var account = await db.Users.AsNoTracking()
            .Where(u => u.NormalizedUserName == normalized)
            .Select(u => new Account(u.Id, u.UserName, u.PasswordHash, u.LockoutEndUtcTicks, u.Disabled))
            .SingleOrDefaultAsync(cancellationToken);
        if (account is not null && device is not null && device.UserId == account.Id)
        {
            return await SignInFromKnownDeviceAsync(db, account, password, device.Nonce, cancellationToken);
        }

        using var lease = _perUser.AttemptAcquire(normalized);
        if (!lease.IsAcquired)
        {
            LogThrottled(logger, userName);
            return new SignInResult(SignInOutcome.Throttled);
        }

        var now = time.GetUtcNow().UtcTicks;
        if (account is null || account.LockoutEndUtcTicks > now)
        {
            await VerifyAsync(_dummyHash.Value, password, cancellationToken);
            if (account is not null)
            {
                LogLockedAttempt(logger, account.UserName);
                return new SignInResult(SignInOutcome.LockedOut);
            }

            return new SignInResult(SignInOutcome.WrongCredentials);
        }

        var verdict = await VerifyAsync(account.PasswordHash, password, cancellationToken);
        if (verdict == PasswordVerificationResult.Failed)
        {
            return await CountFailureAsync(db, account.Id, account.UserName, cancellationToken);
        }

        // Succeeds only if no parallel attempt locked the account in the meantime.
        if (await ResetFailuresAsync(db, account.Id, now, cancellationToken) == 0)
        {
            return new SignInResult(SignInOutcome.LockedOut);
        }

        return await SucceedAsync(db, account, password, verdict, cancellationToken);
    }

    /// <summary>The account's lockout and throttle do not apply; this device cookie's own failure budget does.</summary>
    private async Task<SignInResult> SignInFromKnownDeviceAsync(
        BlazorChatDbContext db, Account account, string password, string nonce, CancellationToken cancellationToken)
    {
        if (_deviceFailures.IsLockedOut(nonce))
        {
            await VerifyAsync(_dummyHash.Value, password, cancellationToken);
            LogDeviceLockedAttempt(logger, account.UserName);
            return new SignInResult(SignInOutcome.LockedOut);
        }

        var verdict = await VerifyAsync(account.PasswordHash, password, cancellationToken);
        if (verdict == PasswordVerificationResult.Failed)
        {
            if (_deviceFailures.CountFailure(nonce))
            {
                LogDeviceLockedOut(logger, account.UserName, options.Value.LockoutDuration);
                return new SignInResult(SignInOutcome.LockedOut);
            }

            LogWrongPassword(logger, account.UserName);
            return new SignInResult(SignInOutcome.WrongCredentials);
        }

        _deviceFailures.Forget(nonce);

        // The strangers' count starts again as after any success, unless they have locked the account.
        await ResetFailuresAsync(db, account.Id, time.GetUtcNow().UtcTicks, cancellationToken);
        return await SucceedAsync(db, account, password, verdict, cancellationToken);
    }

    private Task<PasswordVerificationResult> VerifyAsync(string hash, string password, CancellationToken cancellationToken) =>
        RunPasswordCheckAsync(() => hasher.VerifyHashedPassword(null!, hash, password), cancellationToken);

    private async Task<T> RunPasswordCheckAsync<T>(Func<T> check, CancellationToken cancellationToken)
    {
        await _passwordChecks.WaitAsync(cancellationToken);
        try
        {
            return check();
        }
        finally
        {
            _passwordChecks.Release();
        }
    }

    private static Task<int> ResetFailuresAsync(BlazorChatDbContext db, int id, long now, CancellationToken cancellationToken) =>
        db.Users
            .Where(u => u.Id == id && u.LockoutEndUtcTicks <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.FailedSignInCount, 0), cancellationToken);

    private async Task<SignInResult> SucceedAsync(
        BlazorChatDbContext db, Account account, string password, PasswordVerificationResult verdict, CancellationToken cancellationToken)
    {
        if (account.Disabled)
        {
            LogDisabledAttempt(logger, account.UserName);
            return new SignInResult(SignInOutcome.Disabled);
        }

        var now = time.GetUtcNow().UtcTicks;
        await db.Users.Where(u => u.Id == account.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LastSignInUtcTicks, now), cancellationToken);
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            var newHash = await RunPasswordCheckAsync(() => hasher.HashPassword(null!, password), cancellationToken);
            await db.Users.Where(u => u.Id == account.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.PasswordHash, newHash), cancellationToken);
        }

        LogSignedIn(logger, account.UserName);
        return new SignInResult(SignInOutcome.Succeeded, account.Id, account.UserName);
    }

    private async Task<SignInResult> CountFailureAsync(BlazorChatDbContext db, int id, string userName, CancellationToken cancellationToken)
    {
        var max = options.Value.MaxFailedSignIns;
        var lockUntil = (time.GetUtcNow() + options.Value.LockoutDuration).UtcTicks;

        // One UPDATE: SQLite evaluates every SET expression against the row as it was, so the count and
        // the lockout move together and no parallel attempt is lost.
        await db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(
            s => s
                .SetProperty(u => u.LockoutEndUtcTicks, u => u.FailedSignInCount + 1 >= max ? lockUntil : u.LockoutEndUtcTicks)
                .SetProperty(u => u.FailedSignInCount, u => u.FailedSignInCount + 1 >= max ? 0 : u.FailedSignInCount + 1),
            cancellationToken);

        var lockedNow = await db.Users.AsNoTracking()
            .Where(u => u.Id == id)
            .Select(u => u.LockoutEndUtcTicks)
            .SingleAsync(cancellationToken) > time.GetUtcNow().UtcTicks;
        if (lockedNow)
        {
            LogLockedOut(logger, userName, options.Value.LockoutDuration);
            return new SignInResult(SignInOutcome.LockedOut);
        }

        LogWrongPassword(logger, userName);
        return new SignInResult(SignInOutcome.WrongCredentials);
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "{UserName} signed in")]
    private static partial void LogSignedIn(ILogger logger, string userName);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Wrong password for {UserName}")]
    private static partial void LogWrongPassword(ILogger logger, string userName);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "{UserName} is locked out for {Duration} after repeated wrong passwords")]
    private static partial void LogLockedOut(ILogger logger, string userName, TimeSpan duration);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Sign-in attempts for {UserName} are being throttled")]
    private static partial void LogThrottled(ILogger logger, string userName);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Sign-in refused: {UserName} is locked out")]
    private static partial void LogLockedAttempt(ILogger logger, string userName);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "A device cookie of {UserName} is locked out for {Duration} after repeated wrong passwords")]
    private static partial void LogDeviceLockedOut(ILogger logger, string userName, TimeSpan duration);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Information, Message = "Sign-in refused: this device cookie of {UserName} is locked out")]
    private static partial void LogDeviceLockedAttempt(ILogger logger, string userName);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Information, Message = "Sign-in refused: {UserName} is disabled")]
    private static partial void LogDisabledAttempt(ILogger logger, string userName);

    private sealed record Account(int Id, string UserName, string PasswordHash, long LockoutEndUtcTicks, bool Disabled);
}
