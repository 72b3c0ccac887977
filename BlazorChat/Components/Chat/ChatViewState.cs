using BlazorChat.Chat;
using BlazorChat.Data;

namespace BlazorChat.Components.Chat;

/// <summary>
/// What one tab shows: the router's snapshot with the events that followed applied to it. Applying is
/// idempotent where it can be (a message already shown is not shown twice).
/// </summary>
public sealed class ChatViewState
{
    private readonly int _maxMessages;
    private readonly long _maxBytes;

    private ChatViewState(ChatSnapshot snapshot, int maxMessages, long maxBytes)
    {
        _maxMessages = maxMessages;
        _maxBytes = maxBytes;
        Me = snapshot.UserName;
        Pick = snapshot.Pick;
        PickExpiresAt = snapshot.PickExpiresAt;
        IncomingRequests = new HashSet<string>(snapshot.IncomingRequests, UserNames.Comparer);
        Conversation = snapshot.Conversation is { } c
            ? new ConversationView(c.Id, c.Partner, c.StartedAt, [.. c.Messages]) { PartnerSeen = c.PartnerSeen }
            : null;
    }

    public string Me { get; }

    public string? Pick { get; private set; }

    /// <summary>When <see cref="Pick"/> lapses; null when it never does.</summary>
    public DateTimeOffset? PickExpiresAt { get; private set; }

    public HashSet<string> IncomingRequests { get; }

    public ConversationView? Conversation { get; private set; }

    /// <summary>Set when an event showed that something was missed; the owner should take a fresh snapshot.</summary>
    public bool NeedsResync { get; private set; }

    /// <summary>
    /// What a tab shows, starting from <paramref name="snapshot"/>. It keeps the newest messages within the router's
    /// own bounds (<see cref="ChatRouter.MaxTranscriptMessages"/>, <see cref="ChatRouter.MaxTranscriptBytes"/>), so the
    /// tabs of a chat hold the messages its transcript holds and no older ones.
    /// </summary>
    public static ChatViewState From(ChatSnapshot snapshot, int maxMessages, long maxBytes) => new(snapshot, maxMessages, maxBytes);

    /// <summary>What a tab shows, within the default bounds of <see cref="ChatOptions"/>.</summary>
    public static ChatViewState From(ChatSnapshot snapshot) => From(snapshot, DefaultOptions.TranscriptLimit, DefaultOptions.TranscriptBytes);

    private static readonly ChatOptions DefaultOptions = new();

    public void Apply(ChatEvent chatEvent)
    {
        switch (chatEvent)
        {
            case PickChanged e:
                Pick = e.Peer;
                PickExpiresAt = e.Peer is null ? null : e.ExpiresAt;
                break;
            case PickExpired e when UserNames.Equals(Pick, e.Peer):
                Pick = null;
                PickExpiresAt = null;
                break;
            case ChatRequestExpired e:
                IncomingRequests.Remove(e.From);
                break;
            case BlockChanged { Blocked: true } e:
                // Their request, if any, stands for them but is no longer shown here.
                IncomingRequests.Remove(e.Person);
                break;
            case ChatRequestReceived e:
                IncomingRequests.Add(e.From);
                break;
            case ChatRequestWithdrawn e:
                IncomingRequests.Remove(e.From);
                break;
            case ChatStarted e when Conversation?.Id != e.ConversationId:
                // Pairing uses up both picks: the partner's request is answered.
                Pick = null;
                PickExpiresAt = null;
                IncomingRequests.Remove(e.Partner);
                Conversation = new ConversationView(e.ConversationId, e.Partner, e.StartedAt, []);
                break;
            case MessageReceived e when Conversation is { } c && c.Id == e.ConversationId:
                AddMessage(c, e.Message);
                // A message from the partner ends their typing notice (the router sends no event for it).
                c.PartnerIsTyping &= !UserNames.Equals(e.Message.Sender, c.Partner);
                break;
            case PartnerTyping e when Conversation is { } c && c.Id == e.ConversationId:
                c.PartnerIsTyping = e.IsTyping;
                break;
            case MessagesSeen e when Conversation is { } c && c.Id == e.ConversationId:
                c.PartnerSeen = e.UpToSequence;
                break;
            case ChatEnded e when Conversation?.Id == e.ConversationId:
                Conversation = null;
                break;
        }
    }

    /// <summary>
    /// Shows a message this tab has just sent, before the router's copy of it comes back (the copy is then one
    /// already shown), if it is the next in order. If a message from the partner is still on its way, it waits
    /// for its copy instead, so the two keep the router's order without a resync. A message of another chat than the
    /// one shown (one that began before this tab heard the shown one end) is never shown here. Returns whether it is shown.
    /// </summary>
    public bool ShowSent(long conversationId, ChatMessage message)
    {
        if (Conversation is not { } conversation || conversation.Id != conversationId
            || message.Sequence != conversation.LastSequence + 1)
        {
            return false;
        }

        AddMessage(conversation, message);
        return true;
    }

    private void AddMessage(ConversationView conversation, ChatMessage message)
    {
        if (message.Sequence <= conversation.LastSequence)
        {
            return;
        }

        if (message.Sequence != conversation.LastSequence + 1)
        {
            NeedsResync = true;
            return;
        }

        conversation.Add(message, _maxMessages, _maxBytes);
    }
}

public sealed class ConversationView(long id, string partner, DateTimeOffset startedAt, List<ChatMessage> messages)
{
    public long Id { get; } = id;

    public string Partner { get; } = partner;

    public DateTimeOffset StartedAt { get; } = startedAt;

    public List<ChatMessage> Messages { get; } = messages;

    /// <summary>Sequence of the newest message shown (messages are numbered from 1 per conversation).</summary>
    public long LastSequence { get; set; } = messages.Count == 0 ? 0 : messages[^1].Sequence;

    /// <summary>What the shown messages' texts weigh (<see cref="MessageText.SizeOf"/>).</summary>
    public long Bytes { get; private set; } = messages.Sum(m => MessageText.SizeOf(m.Text));

    /// <summary>Whether the partner is typing (<see cref="BlazorChat.Chat.PartnerTyping"/>, ended by their next message).</summary>
    public bool PartnerIsTyping { get; set; }

    /// <summary>How far the partner has seen this chat (<see cref="MessagesSeen"/>): "Seen" goes under my last message up to it.</summary>
    public long PartnerSeen { get; set; }

    /// <summary>The newest message from the partner shown, which a visible tab marks seen; 0 if none.</summary>
    public long LastFromPartner()
    {
        for (var i = Messages.Count - 1; i >= 0; i--)
        {
            if (UserNames.Equals(Messages[i].Sender, Partner))
            {
                return Messages[i].Sequence;
            }
        }

        return 0;
    }

    /// <summary>Adds the next message and drops the oldest beyond either bound; the newest is always kept.</summary>
    public void Add(ChatMessage message, int maxMessages, long maxBytes)
    {
        Messages.Add(message);
        LastSequence = message.Sequence;
        Bytes += MessageText.SizeOf(message.Text);
        var drop = 0;
        while (Messages.Count - drop > 1 && (Messages.Count - drop > maxMessages || Bytes > maxBytes))
        {
            Bytes -= MessageText.SizeOf(Messages[drop++].Text);
        }

        Messages.RemoveRange(0, drop);
    }
}
