using System.Diagnostics;

namespace BlazorChat.Chat;

/// <summary>
/// "Seen": a tab that is visible tells the router it has shown its chat up to the newest message it holds, and the
/// partner's tabs show "Seen" under their last message up to that one. The mark only moves forward, and only up to
/// a message the router has sent, so a tab can cause at most one event per message. A person may turn read
/// receipts off (kept in the database, <see cref="SetReadReceipts"/>): while either of the two has them off, nothing
/// is recorded and neither sees "Seen".
/// </summary>
public sealed partial class ChatRouter
{
    // People who turned read receipts off, whether connected or not: the set is small (only those who chose it).
    private readonly HashSet<string> _receiptsOff = new(Names);

    /// <summary>Whether <paramref name="userName"/>'s read receipts are on (the default).</summary>
    public bool ReadReceiptsOn(string userName)
    {
        lock (_lock)
        {
            return !_receiptsOff.Contains(userName);
        }
    }

    /// <summary>
    /// Turns a person's read receipts on or off, as their account setting says (the caller stores it). A chat they
    /// are in shows "Seen" or stops showing it on both sides at once.
    /// </summary>
    public void SetReadReceipts(string userName, bool on)
    {
        if (!_accounts.TryGetUserName(userName, out var name))
        {
            return;
        }

        lock (_lock)
        {
            var changed = on ? _receiptsOff.Remove(name) : _receiptsOff.Add(name);
            if (!changed || !_users.TryGetValue(name, out var user) || user.Conversation is not { } conversation)
            {
                return;
            }

            foreach (var reader in (ReadOnlySpan<UserState>)[conversation.First, conversation.Second])
            {
                PostToUserLocked(conversation.PartnerOf(reader), new MessagesSeen(conversation.Id, ShownSeenLocked(conversation, reader)));
            }
        }
    }

    internal SeenResult MarkSeen(ChatConnection connection, long conversationId, long upToSequence)
    {
        lock (_lock)
        {
            var user = UserOfLocked(connection);
            if (user is null)
            {
                return SeenResult.Disconnected;
            }

            if (user.Conversation is not { } conversation || conversation.Id != conversationId)
            {
                return SeenResult.NotInChat;
            }

            if (upToSequence < 1 || upToSequence > conversation.LastSequence)
            {
                return SeenResult.NotSent;
            }

            if (!ReceiptsShownLocked(conversation))
            {
                return SeenResult.ReceiptsOff;
            }

            var isFirst = user == conversation.First;
            if (upToSequence <= (isFirst ? conversation.FirstSeen : conversation.SecondSeen))
            {
                return SeenResult.Unchanged;
            }

            if (isFirst)
            {
                conversation.FirstSeen = upToSequence;
            }
            else
            {
                conversation.SecondSeen = upToSequence;
            }

            PostToUserLocked(conversation.PartnerOf(user), new MessagesSeen(conversation.Id, upToSequence));
            return SeenResult.Marked;
        }
    }

    private bool ReceiptsShownLocked(Conversation conversation)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        return _receiptsOff.Count == 0
            || (!_receiptsOff.Contains(conversation.First.Name) && !_receiptsOff.Contains(conversation.Second.Name));
    }

    /// <summary>How far <paramref name="reader"/> has seen the chat, as their partner may be shown it (0: nothing).</summary>
    private long ShownSeenLocked(Conversation conversation, UserState reader)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        return !ReceiptsShownLocked(conversation) ? 0 : reader == conversation.First ? conversation.FirstSeen : conversation.SecondSeen;
    }
}
