using BlazorChat.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorChat.Accounts;

/// <summary>
/// Server-side record of sign-ins, so that signing out really ends a session: its cookie, even if kept
/// or copied, is refused from then on. Sessions also end after <see cref="MaxAge"/> whatever the cookie says.
/// </summary>
public sealed class SignInSessions(IDbContextFactory<BlazorChatDbContext> dbFactory, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(7);

    public async Task<string> StartAsync(int userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var session = new SignInSession { Id = Guid.NewGuid().ToString("N"), UserId = userId, CreatedUtcTicks = now.UtcTicks };
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Sessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);

        // Keep the table small: drop what can no longer be valid.
        var expired = (now - MaxAge).UtcTicks;
        var endedLongAgo = (now - TimeSpan.FromDays(1)).UtcTicks;
        await db.Sessions
            .Where(s => s.CreatedUtcTicks < expired || s.EndedUtcTicks < endedLongAgo)
            .ExecuteDeleteAsync(cancellationToken);
        return session.Id;
    }

    public async Task EndAsync(string? sessionId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(sessionId))
        {
            return;
        }

        var now = time.GetUtcNow().UtcTicks;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Sessions
            .Where(s => s.Id == sessionId && s.EndedUtcTicks == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedUtcTicks, now), cancellationToken);
    }

    public async Task<bool> IsActiveAsync(string? sessionId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(sessionId))
        {
            return false;
        }

        var oldest = (time.GetUtcNow() - MaxAge).UtcTicks;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Sessions.AnyAsync(
            s => s.Id == sessionId && s.EndedUtcTicks == null && s.CreatedUtcTicks >= oldest, cancellationToken);
    }
}
