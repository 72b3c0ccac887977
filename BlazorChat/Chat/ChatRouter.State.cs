namespace BlazorChat.Chat;

/// <summary>The router's state: plain objects, read and changed only under the router's lock.</summary>
public sealed partial class ChatRouter
{
    private sealed class UserState(string name)
    {
        public string Name { get; } = name;

        public List<ChatConnection> Connections { get; } = [];

        /// <summary>True from the first connection until the user departs (grace over, or signed out).</summary>
        public bool Online { get; set; }

        public string? Pick { get; set; }

        /// <summary>When <see cref="Pick"/> lapses; null when it never does (or there is none).</summary>
        public DateTimeOffset? PickExpiresAt { get; set; }

        public ITimer? PickTimer { get; set; }

        public long PickGeneration { get; set; }

        public Conversation? Conversation { get; set; }

        public ITimer? DepartureTimer { get; set; }

        public DateTimeOffset DepartureDueAt { get; set; }

        public long DepartureGeneration { get; set; }

        // Fields, not properties: a bucket is changed in place.
        public TokenBucket Sends;

        public TokenBucket Picks;

        public TokenBucket Uploads;

        /// <summary>Typing signals taken (see ChatRouter.Typing.cs).</summary>
        public TokenBucket TypingSignals;

        /// <summary>Whether the partner is shown "is typing…", and until when (TimeProvider timestamp).</summary>
        public bool Typing { get; set; }

        public long TypingUntil { get; set; }

        public ITimer? TypingTimer { get; set; }
    }

    private sealed class Conversation(long id, UserState first, UserState second, DateTimeOffset startedAt)
    {
        public long Id { get; } = id;

        public UserState First { get; } = first;

        public UserState Second { get; } = second;

        public DateTimeOffset StartedAt { get; } = startedAt;

        // A queue, not a list: dropping the oldest of a full transcript is O(1), not a shift of every message.
        public Queue<ChatMessage> Messages { get; } = new();

        public long LastSequence { get; set; }

        /// <summary>The newest message each person's visible tab has shown (see ChatRouter.Seen.cs); 0: none.</summary>
        public long FirstSeen { get; set; }

        public long SecondSeen { get; set; }

        /// <summary>What the transcript's texts weigh (<see cref="MessageText.SizeOf"/>).</summary>
        public long Bytes { get; private set; }

        /// <summary>Keeps the newest messages within both bounds; the newest is always kept.</summary>
        public void Add(ChatMessage message, int maxMessages, long maxBytes)
        {
            Messages.Enqueue(message);
            Bytes += MessageText.SizeOf(message.Text);
            while (Messages.Count > 1 && (Messages.Count > maxMessages || Bytes > maxBytes))
            {
                Bytes -= MessageText.SizeOf(Messages.Dequeue().Text);
            }
        }

        public UserState PartnerOf(UserState user) => user == First ? Second : First;
    }

    private sealed record DepartureDue(ChatRouter Router, UserState User, long Generation)
    {
        public void Fire() => Router.OnDepartureDue(User, Generation);
    }

    /// <summary>
    /// What an operation did, gathered under the lock and logged after it is released. A struct on the
    /// caller's stack, so an operation that logs nothing allocates nothing for it.
    /// </summary>
    private struct Effects
    {
        public (string First, string Second, long ConversationId)? Paired { get; set; }

        public (long ConversationId, string By, ChatEndReason Reason)? Ended { get; set; }

        public string? Departed { get; set; }

        /// <summary>Files of ended chats: their uploads are cancelled and their bytes deleted after the lock.</summary>
        public FileRemoval? FilesRemoved { get; set; }

        public readonly void Log(ILogger logger)
        {
            if (Paired is { } p)
            {
                ChatLog.Paired(logger, p.First, p.Second, p.ConversationId);
            }

            if (Ended is { } e)
            {
                ChatLog.Ended(logger, e.ConversationId, e.By, e.Reason);
            }

            if (Departed is { } d)
            {
                ChatLog.Departed(logger, d);
            }

            FilesRemoved?.Run();
        }
    }
}
