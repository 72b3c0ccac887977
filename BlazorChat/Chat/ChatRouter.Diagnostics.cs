namespace BlazorChat.Chat;

/// <summary>What the router holds, read for diagnostics and for tests (internal members are for tests only).</summary>
public sealed partial class ChatRouter
{
    /// <summary>Every way the router's state is inconsistent right now; empty when all is well. For tests.</summary>
    internal IReadOnlyList<string> FindInvariantViolations()
    {
        List<string> violations = [];
        lock (_lock)
        {
            var connections = 0;
            var online = 0;
            foreach (var (name, user) in _users)
            {
                connections += user.Connections.Count;
                online += user.Online ? 1 : 0;
                if (user.Online != _online.Contains(name))
                {
                    violations.Add($"{name} is {(user.Online ? "online" : "offline")} but the online list says otherwise");
                }

                if (!string.Equals(name, user.Name, StringComparison.Ordinal))
                {
                    violations.Add($"{name} is filed under another name ({user.Name})");
                }

                if (!user.Online && user.Connections.Count == 0)
                {
                    violations.Add($"{name} has no connections and is offline but still holds state");
                }

                if (!user.Online && (user.Pick is not null || user.Conversation is not null))
                {
                    violations.Add($"{name} is offline but holds a pick or a conversation");
                }

                if (user.Pick is not null && user.Conversation is not null)
                {
                    violations.Add($"{name} both waits for {user.Pick} and chats");
                }

                if (Names.Equals(user.Pick, name))
                {
                    violations.Add($"{name} picked themselves");
                }

                if (user.Conversation is { } c)
                {
                    if (c.First != user && c.Second != user)
                    {
                        violations.Add($"{name} holds a conversation they are not part of");
                    }

                    var partner = c.PartnerOf(user);
                    if (partner.Conversation != c)
                    {
                        violations.Add($"{name}'s partner {partner.Name} is not in the same conversation");
                    }

                    if (!_users.TryGetValue(partner.Name, out var filed) || filed != partner)
                    {
                        violations.Add($"{name}'s partner {partner.Name} is not a tracked user");
                    }

                    if (c.First == c.Second)
                    {
                        violations.Add($"{name} is chatting with themselves");
                    }
                }

                if (user.Pick is { } pick && _users.TryGetValue(pick, out var picked) && picked.Online
                    && picked.Conversation is null
                    && Names.Equals(picked.Pick, name))
                {
                    violations.Add($"{name} and {pick} picked each other but are not paired");
                }
            }

            var addressed = _users.Values.Sum(static u => u.Connections.Count(static c => c.ClientAddress is not null));
            if (addressed != _tabsByAddress.Values.Sum() || _tabsByAddress.Values.Any(static n => n <= 0))
            {
                violations.Add($"the tabs counted per address ({_tabsByAddress.Values.Sum()}) do not match the {addressed} attached tabs with an address");
            }

            if (connections != _connectionCount)
            {
                violations.Add($"connection count {_connectionCount} does not match {connections} attached connections");
            }

            if (online != _online.Count)
            {
                violations.Add($"the online list has {_online.Count} names for {online} online users");
            }
        }

        return violations;
    }

    /// <summary>
    /// How many tabs, users, chats and waiting picks there are, read together under the lock. For diagnostics:
    /// one pass over the users, no allocation.
    /// </summary>
    public RouterCounts GetCounts()
    {
        lock (_lock)
        {
            int online = 0, reachable = 0, chatting = 0, waiting = 0;
            foreach (var user in _users.Values)
            {
                if (user.Online)
                {
                    online++;
                }

                if (user.Connections.Exists(static c => c.IsReachable))
                {
                    reachable++;
                }

                if (user.Conversation is not null)
                {
                    chatting++;
                }
                else if (user.Pick is not null)
                {
                    waiting++;
                }
            }

            return new RouterCounts(_connectionCount, _users.Count, online, reachable, chatting / 2, waiting);
        }
    }

    /// <summary>How many users the router holds state for. For tests and diagnostics.</summary>
    internal int TrackedUserCount
    {
        get
        {
            lock (_lock)
            {
                return _users.Count;
            }
        }
    }
}
