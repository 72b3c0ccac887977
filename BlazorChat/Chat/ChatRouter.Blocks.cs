using System.Diagnostics;

namespace BlazorChat.Chat;

/// <summary>
/// Blocks: who has blocked whom, held here so that every check is made under the router's one lock. The database
/// keeps them (<see cref="Blocks.BlockService"/> writes there first, then tells the router); the router never reads
/// or writes the database itself. Between two people with a block either way: neither sees the other's requests,
/// they never pair, and each sees the other offline. The blocked person gets no sign of it: their request to the
/// blocker just stands unanswered, as to someone offline.
/// </summary>
public sealed partial class ChatRouter
{
    /// <summary>Most people one account may block: each is a row in the database and a name in the router.</summary>
    public const int MaxBlocksPerUser = 500;

    /// <summary>Block changes (block or unblock) one account may make per minute, also the burst allowed.</summary>
    public const int MaxBlockChangesPerMinute = 30;

    // Who each person blocked, and by whom each person is blocked (the same pairs, looked up from the other side).
    private readonly Dictionary<string, BlockList> _blocks = new(Names);
    private readonly Dictionary<string, HashSet<string>> _blockedBy = new(Names);

    /// <summary>
    /// Takes the blocks kept in the database (at start, before anyone connects). Pairs naming no account are skipped.
    /// </summary>
    public void LoadBlocks(IEnumerable<(string Blocker, string Blocked)> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        List<(string, string)> known = [];
        foreach (var (blocker, blocked) in blocks)
        {
            if (_accounts.TryGetUserName(blocker, out var by) && _accounts.TryGetUserName(blocked, out var whom) && !Names.Equals(by, whom))
            {
                known.Add((by, whom));
            }
        }

        lock (_lock)
        {
            foreach (var (by, whom) in known)
            {
                AddBlockLocked(by, whom);
            }
        }
    }

    /// <summary>The people <paramref name="userName"/> has blocked, in display order.</summary>
    public IReadOnlyList<string> BlockedBy(string userName)
    {
        lock (_lock)
        {
            return _blocks.TryGetValue(userName, out var list) ? [.. list.Blocked.Order(StringComparer.OrdinalIgnoreCase)] : [];
        }
    }

    /// <summary>Whether <paramref name="blocker"/> has blocked <paramref name="other"/>.</summary>
    public bool IsBlocking(string blocker, string other)
    {
        lock (_lock)
        {
            return IsBlockingLocked(blocker, other);
        }
    }

    /// <summary>
    /// Whether <paramref name="blocker"/> may block <paramref name="blocked"/> (both names as stored) now: within the
    /// cap and the rate. Takes from the rate allowance when it says yes; the caller then stores the block and calls
    /// <see cref="ApplyBlock"/>.
    /// </summary>
    internal BlockResult ReserveBlockChange(string blocker, string blocked, bool block)
    {
        if (Names.Equals(blocker, blocked))
        {
            return BlockResult.CannotBlockSelf;
        }

        lock (_lock)
        {
            var isBlocking = IsBlockingLocked(blocker, blocked);
            if (block == isBlocking)
            {
                return block ? BlockResult.AlreadyBlocked : BlockResult.NotBlocked;
            }

            if (!_blocks.TryGetValue(blocker, out var list))
            {
                list = new BlockList();
                _blocks.Add(blocker, list);
            }

            if (block && list.Blocked.Count >= MaxBlocksPerUser)
            {
                return BlockResult.TooMany;
            }

            return list.Changes.TryTake(_time, MaxBlockChangesPerMinute, MaxBlockChangesPerMinute / 60.0)
                ? BlockResult.Done
                : BlockResult.TooFast;
        }
    }

    /// <summary>
    /// Records that <paramref name="blocker"/> blocked <paramref name="blocked"/> (both names as stored, the block
    /// already kept in the database). The blocker's own request to them is withdrawn; theirs to the blocker vanishes
    /// from the blocker's tabs without a word to them; a chat between the two ends for both as if the blocker had
    /// ended it; and each now sees the other offline.
    /// </summary>
    internal void ApplyBlock(string blocker, string blocked)
    {
        Effects effects = new();
        lock (_lock)
        {
            if (IsBlockingLocked(blocker, blocked))
            {
                return;
            }

            // The chat and the request end before the block is recorded, so the other side is told as it would be
            // of an ordinary end or withdrawal: nothing in what they see says "blocked".
            _users.TryGetValue(blocker, out var by);
            _users.TryGetValue(blocked, out var whom);
            if (by is not null)
            {
                if (by.Conversation is { } conversation && whom is not null && conversation.PartnerOf(by) == whom)
                {
                    EndConversationLocked(conversation, by, ChatEndReason.Ended, ref effects);
                }

                if (Names.Equals(by.Pick, blocked))
                {
                    WithdrawPickLocked(by);
                    PostToUserLocked(by, new PickChanged(null));
                }
            }

            AddBlockLocked(blocker, blocked);
            if (by is not null)
            {
                PostToUserLocked(by, new BlockChanged(blocked, Blocked: true));
                PostPeopleChangedLocked(by);
                BroadcastPresenceLocked(by);
            }

            if (whom is not null)
            {
                BroadcastPresenceLocked(whom);
            }
        }

        effects.Log(_logger);
    }

    /// <summary>
    /// Records that <paramref name="blocker"/> unblocked <paramref name="blocked"/> (the row already deleted). Each
    /// sees the other as they are again, and a request of theirs that still stands shows again.
    /// </summary>
    internal void ApplyUnblock(string blocker, string blocked)
    {
        lock (_lock)
        {
            if (!_blocks.TryGetValue(blocker, out var list) || !list.Blocked.Remove(blocked))
            {
                return;
            }

            if (_blockedBy.TryGetValue(blocked, out var by) && by.Remove(blocker) && by.Count == 0)
            {
                _blockedBy.Remove(blocked);
            }

            _users.TryGetValue(blocker, out var user);
            _users.TryGetValue(blocked, out var other);
            if (user is not null)
            {
                PostToUserLocked(user, new BlockChanged(blocked, Blocked: false));
                if (other is { Online: true } && Names.Equals(other.Pick, blocker) && !IsHiddenLocked(blocker, blocked))
                {
                    PostToUserLocked(user, new ChatRequestReceived(other.Name));
                }

                PostPeopleChangedLocked(user);
                BroadcastPresenceLocked(user);
            }

            if (other is not null)
            {
                BroadcastPresenceLocked(other);
            }
        }
    }

    private bool AddBlockLocked(string blocker, string blocked)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        if (!_blocks.TryGetValue(blocker, out var list))
        {
            list = new BlockList();
            _blocks.Add(blocker, list);
        }

        if (!list.Blocked.Add(blocked))
        {
            return false;
        }

        if (!_blockedBy.TryGetValue(blocked, out var by))
        {
            by = new HashSet<string>(Names);
            _blockedBy.Add(blocked, by);
        }

        by.Add(blocker);
        return true;
    }

    private bool IsBlockingLocked(string blocker, string other)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        return _blocks.TryGetValue(blocker, out var list) && list.Blocked.Contains(other);
    }

    /// <summary>Whether a block stands between the two, either way: then neither sees the other, nor their requests.</summary>
    private bool IsHiddenLocked(string one, string other)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        return _blocks.Count > 0 && (IsBlockingLocked(one, other) || IsBlockingLocked(other, one));
    }

    /// <summary>Someone's status as <paramref name="viewer"/> sees it: offline when a block stands between them.</summary>
    private PresenceStatus StatusForLocked(string viewer, UserState user) =>
        IsHiddenLocked(viewer, user.Name) ? PresenceStatus.Offline : StatusOfLocked(user);

    /// <summary>A person's status as <paramref name="viewer"/> sees it (offline when unknown, gone, or blocked either way).</summary>
    internal PresenceStatus StatusOf(string viewer, string userName)
    {
        lock (_lock)
        {
            return _users.TryGetValue(userName, out var user) ? StatusForLocked(viewer, user) : PresenceStatus.Offline;
        }
    }

    /// <summary>The names <paramref name="viewer"/> must see offline, or null when there are none (the common case).</summary>
    private HiddenSets? HiddenForLocked(string viewer)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        if (_blocks.Count == 0)
        {
            return null;
        }

        var mine = _blocks.TryGetValue(viewer, out var list) && list.Blocked.Count > 0 ? list.Blocked : null;
        var theirs = _blockedBy.GetValueOrDefault(viewer);
        return mine is null && theirs is null ? null : new HiddenSets(mine, theirs);
    }

    private void PostPeopleChangedLocked(UserState user)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        foreach (var connection in user.Connections)
        {
            connection.PostPeopleChanged();
        }
    }

    /// <summary>The people one viewer blocked and those who blocked them; each may be null.</summary>
    private readonly record struct HiddenSets(HashSet<string>? Blocked, HashSet<string>? BlockedMe)
    {
        public bool Hides(string name) => Blocked?.Contains(name) == true || BlockedMe?.Contains(name) == true;

        public bool IsBlocked(string name) => Blocked?.Contains(name) == true;
    }

    private sealed class BlockList
    {
        public HashSet<string> Blocked { get; } = new(Names);

        // A field: the bucket is changed in place.
        public TokenBucket Changes;
    }
}

/// <summary>What asking to block or unblock someone came to.</summary>
[GenerateSerializer]
public enum BlockResult
{
    /// <summary>Blocked or unblocked as asked.</summary>
    Done,

    /// <summary>Already blocked: nothing changed.</summary>
    AlreadyBlocked,

    /// <summary>Not blocked: nothing to unblock.</summary>
    NotBlocked,

    UnknownUser,
    CannotBlockSelf,

    /// <summary>The account has blocked <see cref="ChatRouter.MaxBlocksPerUser"/> people already.</summary>
    TooMany,

    /// <summary>More block changes than <see cref="ChatRouter.MaxBlockChangesPerMinute"/>; try again shortly.</summary>
    TooFast,
}
