using System.Diagnostics;

namespace BlazorChat.Chat;

/// <summary>
/// "karam is typing…": a tab signals at most once every <see cref="ChatOptions.TypingInterval"/> while its person
/// types; the partner's tabs are told when typing starts and when it stops (no signal for
/// <see cref="ChatOptions.TypingTimeout"/>, a message sent, the chat over). Signals in between only move the
/// deadline, so a person typing on costs the partner nothing. The router counts signals per person: one who
/// signals faster than the interval allows (a burst of two) is refused, not believed.
/// </summary>
public sealed partial class ChatRouter
{
    public TimeSpan TypingInterval => _options.TypingInterval;

    internal TypingResult Typing(ChatConnection connection, long conversationId)
    {
        lock (_lock)
        {
            var user = UserOfLocked(connection);
            if (user is null)
            {
                return TypingResult.Disconnected;
            }

            if (user.Conversation is not { } conversation || conversation.Id != conversationId)
            {
                return TypingResult.NotInChat;
            }

            if (_options.TypingInterval <= TimeSpan.Zero)
            {
                return TypingResult.TooFast;
            }

            // Two in a burst, so a signal sent on time and delayed on the way is not refused.
            if (!user.TypingSignals.TryTake(_time, 2, 1 / _options.TypingInterval.TotalSeconds))
            {
                return TypingResult.TooFast;
            }

            user.TypingUntil = _time.GetTimestamp() + (long)(_options.TypingTimeout.TotalSeconds * _time.TimestampFrequency);
            if (!user.Typing)
            {
                user.Typing = true;
                PostToUserLocked(conversation.PartnerOf(user), new PartnerTyping(conversation.Id, user.Name, true));
                user.TypingTimer ??= _time.CreateTimer(
                    static state => ((TypingDue)state!).Fire(), new TypingDue(this, user), Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                user.TypingTimer.Change(_options.TypingTimeout, Timeout.InfiniteTimeSpan);
            }

            return TypingResult.Shown;
        }
    }

    // The timer was armed when typing started and is not moved by each signal: when it fires, typing ends if the
    // deadline has passed, else it waits the rest.
    private void OnTypingDue(UserState user)
    {
        lock (_lock)
        {
            if (!user.Typing || user.Conversation is not { } conversation)
            {
                return;
            }

            var left = _time.GetElapsedTime(_time.GetTimestamp(), user.TypingUntil);
            if (left > TimeSpan.Zero)
            {
                user.TypingTimer?.Change(left, Timeout.InfiniteTimeSpan);
                return;
            }

            user.Typing = false;
            PostToUserLocked(conversation.PartnerOf(user), new PartnerTyping(conversation.Id, user.Name, false));
        }
    }

    // A message sent ends its sender's typing: the partner's tabs clear the notice when the message arrives, so no
    // event is posted. The next signal after it is taken at once.
    private void TypingEndedBySendLocked(UserState user)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        user.TypingSignals = default;
        if (user.Typing)
        {
            user.Typing = false;
            user.TypingTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    // The chat is over: its tabs drop the notice with the chat, and the timers go.
    private void TypingEndedWithChatLocked(Conversation conversation)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        foreach (var user in (ReadOnlySpan<UserState>)[conversation.First, conversation.Second])
        {
            user.Typing = false;
            user.TypingSignals = default;
            user.TypingTimer?.Dispose();
            user.TypingTimer = null;
        }
    }

    private sealed record TypingDue(ChatRouter Router, UserState User)
    {
        public void Fire() => Router.OnTypingDue(User);
    }
}
