using System.Diagnostics;
using System.Runtime.InteropServices;

namespace BlazorChat.Chat;

/// <summary>
/// A user's tabs coming and going: a dropped connection or a closed last tab starts a grace period, and a user
/// whose tabs stay away past it leaves (their request is withdrawn, their chat ends).
/// </summary>
public sealed partial class ChatRouter
{
    internal void SetReachable(ChatConnection connection, bool reachable)
    {
        Effects effects = new();
        lock (_lock)
        {
            var user = UserOfLocked(connection);
            if (user is null || connection.IsReachable == reachable)
            {
                return;
            }

            connection.IsReachable = reachable;
            if (!reachable)
            {
                ScheduleDepartureIfUnreachableLocked(user, ref effects);
            }
            else
            {
                CancelDepartureLocked(user);
                if (!user.Online)
                {
                    SetOnlineLocked(user, true);
                    BroadcastPresenceLocked(user);
                }
            }
        }

        effects.Log(_logger);
    }

    internal void Detach(ChatConnection connection)
    {
        Effects effects = new();
        lock (_lock)
        {
            var user = UserOfLocked(connection);
            if (user is null)
            {
                return;
            }

            user.Connections.Remove(connection);
            ReleaseLocked(connection);
            if (user.Connections.Count == 0 && user.DepartureTimer is not null
                && user.DepartureDueAt - _time.GetUtcNow() > _options.LeaveGrace)
            {
                // The last tab closed while a dropped connection's grace ran (Blazor reports a closing circuit
                // as connection-down first): it is a leave now, so the shorter leave grace applies.
                CancelDepartureLocked(user);
            }

            ScheduleDepartureIfUnreachableLocked(user, ref effects);
            if (!user.Online && user.Connections.Count == 0)
            {
                _users.Remove(user.Name);
            }
        }

        effects.Log(_logger);
    }

    // The connection no longer counts against its user's and its address's tabs.
    private void ReleaseLocked(ChatConnection connection)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        EndCallOfTabLocked(connection);
        connection.IsAttached = false;
        _connectionCount--;
        if (connection.ClientAddress is { } address && --CollectionsMarshal.GetValueRefOrNullRef(_tabsByAddress, address) == 0)
        {
            _tabsByAddress.Remove(address);
        }
    }

    private void ScheduleDepartureIfUnreachableLocked(UserState user, ref Effects effects)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        if (!user.Online || user.DepartureTimer is not null || user.Connections.Exists(static c => c.IsReachable))
        {
            return;
        }

        // A closed tab may be a reload: wait briefly. A dropped connection may come back: wait longer.
        var grace = user.Connections.Count == 0 ? _options.LeaveGrace : _options.ReconnectGrace;
        if (grace <= TimeSpan.Zero)
        {
            DepartLocked(user, ref effects);
            return;
        }

        var generation = ++user.DepartureGeneration;
        user.DepartureDueAt = _time.GetUtcNow() + grace;
        user.DepartureTimer = _time.CreateTimer(
            static state => ((DepartureDue)state!).Fire(),
            new DepartureDue(this, user, generation),
            grace,
            Timeout.InfiniteTimeSpan);
    }

    private void CancelDepartureLocked(UserState user)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        user.DepartureGeneration++;
        user.DepartureTimer?.Dispose();
        user.DepartureTimer = null;
    }

    private void OnDepartureDue(UserState user, long generation)
    {
        Effects effects = new();
        lock (_lock)
        {
            if (user.DepartureGeneration != generation || !_users.TryGetValue(user.Name, out var filed) || filed != user)
            {
                return;
            }

            user.DepartureTimer?.Dispose();
            user.DepartureTimer = null;
            if (!user.Online || user.Connections.Exists(static c => c.IsReachable))
            {
                return;
            }

            DepartLocked(user, ref effects);
            if (user.Connections.Count == 0)
            {
                _users.Remove(user.Name);
            }
        }

        effects.Log(_logger);
    }

    private void DepartLocked(UserState user, ref Effects effects)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        if (user.Pick is not null)
        {
            WithdrawPickLocked(user);
            // The user's tabs may still be open (their browser away, not closed) and come back: they must not go on
            // showing "waiting for" a request that no longer stands, which their Withdraw could no longer cancel.
            PostToUserLocked(user, new PickChanged(null));
        }

        if (user.Conversation is { } conversation)
        {
            EndConversationLocked(conversation, user, ChatEndReason.Left, ref effects);
        }

        SetOnlineLocked(user, false);
        BroadcastPresenceLocked(user);
        effects.Departed = user.Name;
    }
}
