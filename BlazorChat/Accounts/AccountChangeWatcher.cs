using BlazorChat.Cluster;
using BlazorChat.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorChat.Accounts;

/// <summary>
/// Brings changes made to the database by another process (the <c>accounts</c> command) into the running app, every
/// <see cref="Interval"/>: tabs of sessions ended there (a disabled account, a new password) are signed out at once
/// rather than at their next 30-second check, and accounts added or imported join the people list. Each round costs
/// two small indexed queries, however many tabs are open.
/// </summary>
public sealed partial class AccountChangeWatcher(
    IDbContextFactory<BlazorChatDbContext> dbFactory,
    AccountDirectory directory,
    ChatSilo chat,
    TimeProvider time,
    ILogger<AccountChangeWatcher> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    // Sessions ended this long ago are looked at again, so one ended by a write that committed late is not missed.
    private static readonly TimeSpan Overlap = TimeSpan.FromSeconds(30);

    private (int Count, int MaxId)? _accounts;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A busy or failing database skips a round; the tabs' own checks still run.
                LogCheckFailed(logger, ex);
            }
        }
    }

    internal async Task CheckAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var since = (time.GetUtcNow() - Overlap).UtcTicks;
        var ended = await db.Sessions.AsNoTracking()
            .Where(s => s.EndedUtcTicks >= since)
            .Join(db.Users, s => s.UserId, u => u.Id, (s, u) => new { s.Id, u.UserName })
            .ToListAsync(cancellationToken);
        foreach (var session in ended)
        {
            if (await chat.SignOutSessionIfOpenAsync(session.UserName, session.Id))
            {
                LogSignedOutElsewhere(logger, session.UserName);
            }
        }

        var count = await db.Users.CountAsync(cancellationToken);
        var maxId = count == 0 ? 0 : await db.Users.MaxAsync(u => u.Id, cancellationToken);
        if (_accounts != (count, maxId))
        {
            directory.Replace(await db.Users.Select(u => u.UserName).ToListAsync(cancellationToken));
            LogDirectoryReloaded(logger, count);
        }

        _accounts = (count, maxId);
    }

    [LoggerMessage(EventId = 2020, Level = LogLevel.Information, Message = "Signed out the open tabs of a session of {UserName} that was ended elsewhere")]
    private static partial void LogSignedOutElsewhere(ILogger logger, string userName);

    [LoggerMessage(EventId = 2021, Level = LogLevel.Information, Message = "The accounts changed; the people list now has {Count}")]
    private static partial void LogDirectoryReloaded(ILogger logger, int count);

    [LoggerMessage(EventId = 2022, Level = LogLevel.Warning, Message = "Could not check for account changes made elsewhere; trying again shortly")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);
}
