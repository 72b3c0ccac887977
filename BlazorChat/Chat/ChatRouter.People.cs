using System.Buffers;
using System.Diagnostics;
using System.Text;
using BlazorChat.Data;

namespace BlazorChat.Chat;

/// <summary>The people list: who a user may pick, a screenful at a time.</summary>
public sealed partial class ChatRouter
{
    /// <summary>
    /// One screenful of the people <paramref name="connection"/>'s user may pick: online people first, then
    /// offline, alphabetical within each, leaving out the user; only names containing
    /// <paramref name="filter"/> when one is given, compared as names are (<see cref="UserNames"/>: any case, and the
    /// compatibility forms of a letter, such as ſ for s or fullwidth letters, as the letter). Costs O(<paramref name="limit"/>) without a
    /// filter however many accounts exist, so a tab never holds or walks the whole directory.
    /// </summary>
    internal PeoplePage FindPeople(ChatConnection connection, string? filter, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        filter = string.IsNullOrWhiteSpace(filter) ? null : filter.Trim();
        return filter switch
        {
            null => FindEveryone(connection.UserName, limit),
            // No name is longer: nothing to test, however long the string a tab sent.
            { Length: > UserNameRules.MaxLength } => new PeoplePage([], 0),
            _ => FindMatching(connection.UserName, new NameFilter(filter), limit),
        };
    }

    private PeoplePage FindEveryone(string me, int limit)
    {
        var accounts = _accounts.UserNames;
        List<PersonStatus> people = new(Math.Min(limit, accounts.Count));
        lock (_lock)
        {
            // People with a block between them and me are listed as offline, where the offline are.
            var hidden = HiddenForLocked(me);
            foreach (var name in _online)
            {
                if (people.Count == limit)
                {
                    break;
                }

                if (!IsMe(name, me) && hidden?.Hides(name) != true)
                {
                    people.Add(new PersonStatus(name, StatusOfLocked(_users[name])));
                }
            }

            // Walk the offline names only as far as the page needs.
            for (var i = 0; i < accounts.Count && people.Count < limit; i++)
            {
                if ((!IsOnlineLocked(accounts[i]) || hidden?.Hides(accounts[i]) == true) && !IsMe(accounts[i], me))
                {
                    people.Add(new PersonStatus(accounts[i], PresenceStatus.Offline, hidden?.IsBlocked(accounts[i]) == true));
                }
            }
        }

        return new PeoplePage(people, accounts.Count - (_accounts.TryGetUserName(me, out _) ? 1 : 0));
    }

    // A search tests every account's name, so it does that before taking the lock: the directory is an immutable
    // snapshot (signed-in users are all in it). Under the lock it only looks up the presence of the matches, or
    // walks the online names if they are fewer, and stops once the page is full.
    private PeoplePage FindMatching(string me, NameFilter filter, int limit)
    {
        var accounts = _accounts.UserNames;
        var matches = ArrayPool<string>.Shared.Rent(accounts.Count);
        var count = 0;
        try
        {
            foreach (var name in accounts)
            {
                if (IsMatch(name, me, filter))
                {
                    matches[count++] = name;
                }
            }

            List<PersonStatus> people = new(Math.Min(limit, count));
            lock (_lock)
            {
                var hidden = HiddenForLocked(me);
                if (_online.Count < count)
                {
                    foreach (var name in _online)
                    {
                        if (people.Count == limit)
                        {
                            break;
                        }

                        if (IsMatch(name, me, filter) && hidden?.Hides(name) != true)
                        {
                            people.Add(new PersonStatus(name, StatusOfLocked(_users[name])));
                        }
                    }
                }
                else
                {
                    for (var i = 0; i < count && people.Count < limit; i++)
                    {
                        if (_users.TryGetValue(matches[i], out var user) && user.Online && hidden?.Hides(matches[i]) != true)
                        {
                            people.Add(new PersonStatus(matches[i], StatusOfLocked(user)));
                        }
                    }
                }

                for (var i = 0; i < count && people.Count < limit; i++)
                {
                    if (!IsOnlineLocked(matches[i]) || hidden?.Hides(matches[i]) == true)
                    {
                        people.Add(new PersonStatus(matches[i], PresenceStatus.Offline, hidden?.IsBlocked(matches[i]) == true));
                    }
                }
            }

            return new PeoplePage(people, count);
        }
        finally
        {
            Array.Clear(matches, 0, count);
            ArrayPool<string>.Shared.Return(matches);
        }
    }

    // The same as _online.Contains(name), which FindInvariantViolations checks.
    private bool IsOnlineLocked(string name)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        return _users.TryGetValue(name, out var user) && user.Online;
    }

    private static bool IsMe(string name, string me) => Names.Equals(name, me);

    private static bool IsMatch(string name, string me, NameFilter filter) => !IsMe(name, me) && filter.Matches(name);

    /// <summary>A search as the names' own rule compares them; plain ASCII on both sides takes a fast path with the same answers.</summary>
    private readonly struct NameFilter(string text)
    {
        private readonly string _text = text;
        private readonly string _normalized = UserNames.Normalize(text);
        private readonly bool _isAscii = Ascii.IsValid(text);

        public bool Matches(string name) =>
            _isAscii && Ascii.IsValid(name)
                ? name.Contains(_text, StringComparison.OrdinalIgnoreCase)
                : UserNames.Normalize(name).Contains(_normalized, StringComparison.Ordinal);
    }
}
