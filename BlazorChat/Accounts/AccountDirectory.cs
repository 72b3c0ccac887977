using System.Collections.Frozen;

namespace BlazorChat.Accounts;

/// <summary>
/// The names of all accounts, loaded from the database at start-up. Read on every pick and by the user list,
/// so it is an immutable snapshot swapped in whole.
/// </summary>
public sealed class AccountDirectory
{
    private volatile Snapshot _snapshot = new([]);

    public AccountDirectory()
    {
    }

    public AccountDirectory(IEnumerable<string> userNames) => Replace(userNames);

    /// <summary>Every account name, sorted for display.</summary>
    public IReadOnlyList<string> UserNames => _snapshot.Sorted;

    public void Replace(IEnumerable<string> userNames) => _snapshot = new Snapshot(userNames);

    /// <summary>Finds an account by name (compared as <see cref="Data.UserNames"/> says) and gives its name as stored.</summary>
    public bool TryGetUserName(string? name, out string userName)
    {
        userName = "";
        if (string.IsNullOrEmpty(name) || !_snapshot.ByName.TryGetValue(name, out var found))
        {
            return false;
        }

        userName = found;
        return true;
    }

    private sealed class Snapshot
    {
        public Snapshot(IEnumerable<string> userNames)
        {
            // The order is only for display; which names are the same is UserNames' rule.
            Sorted = [.. userNames.Order(StringComparer.OrdinalIgnoreCase)];
            ByName = Sorted.ToFrozenDictionary(n => n, n => n, Data.UserNames.Comparer);
        }

        public IReadOnlyList<string> Sorted { get; }

        public FrozenDictionary<string, string> ByName { get; }
    }
}
