using BlazorChat.Accounts;
using BlazorChat.Chat;
using BlazorChat.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorChat.Blocks;

/// <summary>
/// Blocking and unblocking: checks the names and the limits, writes the database, then tells the chat's router (through
/// the lobby, wherever in the cluster it runs), which holds the blocks every check reads. This instance makes changes
/// one at a time, so the database and the router agree. At start, the blocks are loaded into this instance's router.
/// </summary>
public sealed class BlockService(
    IDbContextFactory<BlazorChatDbContext> dbFactory, AccountDirectory accounts, ChatRouter router, Cluster.ChatSilo chat, TimeProvider time)
{
    private readonly SemaphoreSlim _changes = new(1, 1);

    /// <summary>
    /// <paramref name="me"/> (from the signed-in principal, never the browser) blocks <paramref name="person"/> (a name
    /// from the browser, looked up as names are everywhere).
    /// </summary>
    public Task<BlockResult> BlockAsync(string me, string? person, CancellationToken cancellationToken = default) =>
        ChangeAsync(me, person, block: true, cancellationToken);

    /// <summary><paramref name="me"/> unblocks <paramref name="person"/>.</summary>
    public Task<BlockResult> UnblockAsync(string me, string? person, CancellationToken cancellationToken = default) =>
        ChangeAsync(me, person, block: false, cancellationToken);

    /// <summary>The people <paramref name="me"/> has blocked, in display order (from the router, which holds them all).</summary>
    public Task<IReadOnlyList<string>> BlockedByAsync(string me) => chat.BlockedByAsync(me);

    /// <summary>Gives the router every block kept in the database. Run at start, before anyone connects.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pairs = await (
            from b in db.Blocks
            join blocker in db.Users on b.BlockerId equals blocker.Id
            join whom in db.Users on b.BlockedId equals whom.Id
            select new { Blocker = blocker.UserName, Blocked = whom.UserName })
            .ToListAsync(cancellationToken);
        router.LoadBlocks(pairs.Select(p => (p.Blocker, p.Blocked)));
    }

    private async Task<BlockResult> ChangeAsync(string me, string? person, bool block, CancellationToken cancellationToken)
    {
        if (!accounts.TryGetUserName(me, out var blocker) || person is not { Length: > 0 and <= UserNameRules.MaxLength }
            || !accounts.TryGetUserName(person, out var blocked))
        {
            return BlockResult.UnknownUser;
        }

        await _changes.WaitAsync(cancellationToken);
        try
        {
            var reserved = await chat.ReserveBlockChangeAsync(blocker, blocked, block);
            if (reserved != BlockResult.Done)
            {
                return reserved;
            }

            // Not cancelled once begun: the router must hear of every change the database made.
            await WriteAsync(blocker, blocked, block);
            await chat.ApplyBlockChangeAsync(blocker, blocked, block);

            return BlockResult.Done;
        }
        finally
        {
            _changes.Release();
        }
    }

    private async Task WriteAsync(string blocker, string blocked, bool block)
    {
        string[] normalized = [UserNames.Normalize(blocker), UserNames.Normalize(blocked)];
        await using var db = await dbFactory.CreateDbContextAsync();
        var ids = await db.Users.Where(u => normalized.Contains(u.NormalizedUserName))
            .ToDictionaryAsync(u => u.NormalizedUserName, u => u.Id, StringComparer.Ordinal);
        if (!ids.TryGetValue(normalized[0], out var blockerId) || !ids.TryGetValue(normalized[1], out var blockedId))
        {
            throw new InvalidOperationException("An account being blocked or unblocked is not in the database.");
        }

        var rows = db.Blocks.Where(b => b.BlockerId == blockerId && b.BlockedId == blockedId);
        if (!block)
        {
            await rows.ExecuteDeleteAsync();
        }
        else if (!await rows.AnyAsync())
        {
            db.Blocks.Add(new UserBlock { BlockerId = blockerId, BlockedId = blockedId, CreatedUtcTicks = time.GetUtcNow().UtcTicks });
            await db.SaveChangesAsync();
        }
    }
}
