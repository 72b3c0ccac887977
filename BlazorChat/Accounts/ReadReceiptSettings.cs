using BlazorChat.Chat;
using BlazorChat.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorChat.Accounts;

/// <summary>
/// Each person's read receipts (on unless they turned them off in the account area): kept in the database and told to
/// the router, which shows "Seen" in a chat only while both have them on. Loaded into the router at start, after the
/// accounts (registered after <see cref="AccountsInitializer"/>); a change is told to the chat's router through the lobby.
/// </summary>
public sealed class ReadReceiptSettings(IDbContextFactory<BlazorChatDbContext> dbFactory, ChatRouter router, Cluster.ChatSilo chat) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        foreach (var name in await db.Users.Where(u => u.ReadReceiptsOff).Select(u => u.UserName).ToListAsync(cancellationToken))
        {
            router.SetReadReceipts(name, on: false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Whether the account's read receipts are on; false for no such account.</summary>
    public async Task<bool> GetAsync(int userId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.Where(u => u.Id == userId).Select(u => !u.ReadReceiptsOff).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Stores the account's choice and applies it to a chat they are in at once. Returns false for no such account.</summary>
    public async Task<bool> SetAsync(int userId, bool on, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var name = await db.Users.Where(u => u.Id == userId).Select(u => u.UserName).FirstOrDefaultAsync(cancellationToken);
        if (name is null)
        {
            return false;
        }

        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.ReadReceiptsOff, !on), cancellationToken);
        await chat.SetReadReceiptsAsync(name, on);
        return true;
    }
}
