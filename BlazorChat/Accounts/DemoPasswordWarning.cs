using BlazorChat.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace BlazorChat.Accounts;

/// <summary>
/// In Production, says loudly at start which accounts still have a password from the demo seed file shipped in
/// Data/seed-users.csv (anyone who has read the README knows them). Runs after start-up, off the request path: each
/// check is one deliberately slow hash.
/// </summary>
public sealed partial class DemoPasswordWarning(
    IDbContextFactory<BlazorChatDbContext> dbFactory,
    PasswordHasher<UserAccount> hasher,
    IHostEnvironment environment,
    ILogger<DemoPasswordWarning> logger) : BackgroundService
{
    /// <summary>The accounts and passwords of the shipped seed file (a test keeps the two the same).</summary>
    public static readonly IReadOnlyList<(string UserName, string Password)> DemoAccounts =
    [
        ("hamza", "123"), ("karam", "naveed"), ("hira", "najeeb"), ("rushna", "shah"), ("hassaan", "khaliq"), ("zara", "open, sesame"),
    ];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!environment.IsProduction())
        {
            return;
        }

        try
        {
            foreach (var userName in await FindAsync(stoppingToken))
            {
                LogDemoPassword(logger, userName);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCheckFailed(logger, ex);
        }
    }

    /// <summary>The enabled accounts whose password is still the demo one.</summary>
    public async Task<IReadOnlyList<string>> FindAsync(CancellationToken cancellationToken)
    {
        var names = DemoAccounts.Select(d => UserNames.Normalize(d.UserName)).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stored = await db.Users.AsNoTracking()
            .Where(u => names.Contains(u.NormalizedUserName) && !u.Disabled)
            .Select(u => new { u.UserName, u.NormalizedUserName, u.PasswordHash })
            .ToListAsync(cancellationToken);
        return [.. stored
            .Where(u => DemoAccounts.Any(d => UserNames.Normalize(d.UserName) == u.NormalizedUserName
                && hasher.VerifyHashedPassword(null!, u.PasswordHash, d.Password) != PasswordVerificationResult.Failed))
            .Select(u => u.UserName)];
    }

    [LoggerMessage(EventId = 2030, Level = LogLevel.Critical, Message = "The account {UserName} still has its demo password from the shipped seed file, which anyone can read: change it (dotnet BlazorChat.dll accounts passwd {UserName}) or disable it")]
    private static partial void LogDemoPassword(ILogger logger, string userName);

    [LoggerMessage(EventId = 2031, Level = LogLevel.Warning, Message = "Could not check the accounts for demo passwords")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);
}
