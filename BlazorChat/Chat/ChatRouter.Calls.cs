using System.Diagnostics;
using System.Globalization;
using BlazorChat.Calls;

namespace BlazorChat.Chat;

/// <summary>
/// Voice and video calls between the two people of a chat. The router keeps each call's state (ringing, which tab
/// answered, in call) with the chat, under the same lock, and relays signalling between the call's two tabs only.
/// </summary>
/// <remarks>
/// <para>States, after the Matrix VoIP module: ringing (the caller's tab shows "Calling…", every tab of the callee rings)
/// → active (one tab of each is an end; the others show the call is elsewhere) → ended, with a reason both are told
/// and one line in the chat ("Video call · 2:31", "Missed video call").</para>
/// <para>Glare: a call placed while the partner's call to this person rings answers that call from the placing tab,
/// so both pressing at once gives one call. Media is peer to peer; the server only sees signalling, which is refused
/// from any tab that is not an end of that call, and limited in size and rate.</para>
/// </remarks>
public sealed partial class ChatRouter
{
    // What the caller may send before an answer: an offer and its candidates are a dozen messages of about 6,000 characters.
    private const int MaxHeldSignals = 64;
    private const int MaxHeldChars = 128 * 1024;

    private readonly CallOptions _callOptions;
    private readonly Dictionary<long, ChatCalls> _calls = [];
    private long _lastCallId;

    /// <summary>The call options in force (ring timeout, signalling limits).</summary>
    public CallOptions CallOptions => _callOptions;

    internal CallResult StartCall(ChatConnection connection, long conversationId, CallKind kind)
    {
        lock (_lock)
        {
            if (UserOfLocked(connection) is not { Conversation: { } conversation } user || conversation.Id != conversationId)
            {
                return CallResult.NotInChat;
            }

            if (!_calls.TryGetValue(conversation.Id, out var calls))
            {
                calls = new ChatCalls();
                _calls.Add(conversation.Id, calls);
            }

            if (calls.Current is { } existing)
            {
                if (existing.Ringing && existing.Callee == user)
                {
                    // Glare: both pressed call. The partner's call is answered here; a video wish on either side wins.
                    existing.Kind = kind == CallKind.Video ? CallKind.Video : existing.Kind;
                    AcceptLocked(existing, connection);
                    return CallResult.Joined;
                }

                return CallResult.Busy;
            }

            ref var starts = ref conversation.First == user ? ref calls.FirstStarts : ref calls.SecondStarts;
            if (!starts.TryTake(_time, _callOptions.MaxCallsPerMinute, _callOptions.MaxCallsPerMinute / 60.0))
            {
                return CallResult.TooFast;
            }

            var call = new CallState(++_lastCallId, conversation, kind, user, conversation.PartnerOf(user), connection);
            calls.Current = call;
            call.RingTimer = _time.CreateTimer(
                static state => ((RingDue)state!).Fire(), new RingDue(this, call), _callOptions.RingTimeout, Timeout.InfiniteTimeSpan);
            PostCallChangedLocked(call);
            Interlocked.Increment(ref _callsStarted);
            return CallResult.Ringing;
        }
    }

    internal CallResult AcceptCall(ChatConnection connection, long callId)
    {
        lock (_lock)
        {
            if (CallOfLocked(connection, callId) is not { Ringing: true } call || !Names.Equals(call.Callee.Name, connection.UserName))
            {
                return CallResult.NotInCall;
            }

            AcceptLocked(call, connection);
            return CallResult.Joined;
        }
    }

    internal CallResult DeclineCall(ChatConnection connection, long callId)
    {
        lock (_lock)
        {
            if (CallOfLocked(connection, callId) is not { Ringing: true } call || !Names.Equals(call.Callee.Name, connection.UserName))
            {
                return CallResult.NotInCall;
            }

            EndCallLocked(call, CallEndReason.Declined, call.Callee);
            return CallResult.Done;
        }
    }

    /// <summary>
    /// Ends the call from one of its ends: "Hang up" (before an answer: "Cancel"), a camera or microphone that could not
    /// start, or a media connection that did not come back. Other reasons are the router's to give.
    /// </summary>
    internal CallResult HangUpCall(ChatConnection connection, long callId, CallEndReason reason)
    {
        if (reason is not (CallEndReason.HungUp or CallEndReason.MediaFailed or CallEndReason.ConnectionLost))
        {
            reason = CallEndReason.HungUp;
        }

        lock (_lock)
        {
            if (CallOfLocked(connection, callId) is not { } call || (call.CallerTab != connection && call.CalleeTab != connection))
            {
                return CallResult.NotInCall;
            }

            var by = call.CallerTab == connection ? call.Caller : call.Callee;
            EndCallLocked(call, call.Ringing && reason == CallEndReason.HungUp ? CallEndReason.Cancelled : reason, by);
            return CallResult.Done;
        }
    }

    /// <summary>
    /// Relays one signalling message to the other end of the call, if this tab is an end of it. While the call rings, the
    /// caller's are held for the tab that answers (and the callee, having no end yet, is refused).
    /// </summary>
    internal CallResult SignalCall(ChatConnection connection, long callId, CallSignalKind kind, string payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (payload.Length > _callOptions.MaxSignalChars || !Enum.IsDefined(kind))
        {
            return CallResult.TooLarge;
        }

        lock (_lock)
        {
            if (CallOfLocked(connection, callId) is not { } call || (call.CallerTab != connection && call.CalleeTab != connection))
            {
                return CallResult.NotInCall;
            }

            var fromCaller = call.CallerTab == connection;
            ref var bucket = ref fromCaller ? ref call.CallerSignals : ref call.CalleeSignals;
            var perSecond = _callOptions.MaxSignalsPerSecond;
            if (!bucket.TryTake(_time, perSecond * 2, perSecond))
            {
                return CallResult.TooFast;
            }

            var signal = new CallSignalReceived(call.Id, kind, payload);
            if (call.CalleeTab is not { } calleeTab)
            {
                // The caller's offer and candidates, made while it rings (as Matrix's invite carries its offer), wait
                // for the tab that answers, so the call needs no round trip after Accept to begin. Bounded: nothing but
                // the offer and its candidates is needed before an answer.
                call.Held ??= [];
                if (call.Held.Count >= MaxHeldSignals || call.HeldChars + payload.Length > MaxHeldChars)
                {
                    return CallResult.TooFast;
                }

                call.Held.Add(signal);
                call.HeldChars += payload.Length;
                call.Signals++;
                return CallResult.Done;
            }

            call.Signals++;
            (fromCaller ? calleeTab : call.CallerTab).Post(signal);
            return CallResult.Done;
        }
    }

    /// <summary>Signalling messages relayed in the current or last call of <paramref name="conversationId"/> (for the figures).</summary>
    internal int SignalsRelayed(long conversationId)
    {
        lock (_lock)
        {
            return _calls.TryGetValue(conversationId, out var calls) ? (calls.Current ?? calls.Last)?.Signals ?? 0 : 0;
        }
    }

    private void AcceptLocked(CallState call, ChatConnection calleeTab)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        call.RingTimer?.Dispose();
        call.RingTimer = null;
        call.CalleeTab = calleeTab;
        call.AcceptedAt = _time.GetUtcNow();
        Interlocked.Increment(ref _callsAnswered);
        PostCallChangedLocked(call);
        foreach (var held in call.Held ?? [])
        {
            calleeTab.Post(held);
        }

        call.Held = null;
    }

    private void OnRingDue(CallState call)
    {
        lock (_lock)
        {
            if (call.Ringing && _calls.TryGetValue(call.Conversation.Id, out var calls) && calls.Current == call)
            {
                EndCallLocked(call, CallEndReason.NoAnswer, call.Callee);
            }
        }
    }

    private CallState? CallOfLocked(ChatConnection connection, long callId)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        return UserOfLocked(connection) is { Conversation: { } conversation }
            && _calls.TryGetValue(conversation.Id, out var calls) && calls.Current is { } call && call.Id == callId
            ? call
            : null;
    }

    // Each tab of the two is told its own part: the placing tab calls, the callee's tabs ring; once answered the two ends
    // are active and every other tab learns the call went on elsewhere (and stops ringing).
    private void PostCallChangedLocked(CallState call)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        foreach (var user in (ReadOnlySpan<UserState>)[call.Callee, call.Caller])
        {
            foreach (var connection in user.Connections)
            {
                connection.Post(CallChangedFor(call, user, connection));
            }
        }
    }

    private static CallChanged CallChangedFor(CallState call, UserState user, ChatConnection connection)
    {
        var phase = call.Ringing
            ? user == call.Callee ? CallPhase.Incoming : connection == call.CallerTab ? CallPhase.Outgoing : CallPhase.Elsewhere
            : connection == call.CallerTab || connection == call.CalleeTab ? CallPhase.Active : CallPhase.Elsewhere;
        return new CallChanged(call.Conversation.Id, call.Id, call.Kind, call.Caller.Name, call.Callee.Name, phase, call.AcceptedAt);
    }

    // A tab opened while a call rings or runs: it rings too (callee, ringing) or shows the call is elsewhere.
    private void PostCallToNewTabLocked(UserState user, ChatConnection connection)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        if (user.Conversation is { } conversation && _calls.TryGetValue(conversation.Id, out var calls) && calls.Current is { } call)
        {
            connection.Post(CallChangedFor(call, user, connection));
        }
    }

    // The tab holding an end of a call (or the caller's tab while it rings) closed or reloaded: the call ends for both.
    private void EndCallOfTabLocked(ChatConnection connection)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        if (_users.TryGetValue(connection.UserName, out var user) && user.Conversation is { } conversation
            && _calls.TryGetValue(conversation.Id, out var calls) && calls.Current is { } call
            && (call.CallerTab == connection || call.CalleeTab == connection))
        {
            EndCallLocked(call, CallEndReason.TabClosed, user);
        }
    }

    // The chat is ending (either side, for any reason): so is its call, before the chat's end is posted.
    private void EndCallsOfConversationLocked(Conversation conversation, UserState endedBy)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        if (_calls.Remove(conversation.Id, out var calls) && calls.Current is { } call)
        {
            EndCallLocked(call, CallEndReason.ChatEnded, endedBy);
        }
    }

    private void EndCallLocked(CallState call, CallEndReason reason, UserState endedBy)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        call.RingTimer?.Dispose();
        call.RingTimer = null;
        if (_calls.TryGetValue(call.Conversation.Id, out var calls) && calls.Current == call)
        {
            calls.Current = null;
            calls.Last = call;
        }

        var duration = call.AcceptedAt is { } accepted ? _time.GetUtcNow() - accepted : (TimeSpan?)null;
        var ended = new CallEnded(call.Conversation.Id, call.Id, call.Kind, call.Caller.Name, call.Callee.Name, reason, endedBy.Name, duration);
        PostToUserLocked(call.Caller, ended);
        PostToUserLocked(call.Callee, ended);

        // One line in the chat for both, kept in the transcript like a message (a reload shows it too).
        var conversation = call.Conversation;
        if (call.Caller.Conversation == conversation && call.Callee.Conversation == conversation)
        {
            var line = new ChatMessage(++conversation.LastSequence, call.Caller.Name, CallLine(call.Kind, reason, duration), _time.GetUtcNow(), ChatMessageKind.Call);
            conversation.Add(line, _options.TranscriptLimit, _options.TranscriptBytes);
            var delivered = new MessageReceived(conversation.Id, line);
            PostToUserLocked(call.Callee, delivered);
            PostToUserLocked(call.Caller, delivered);
        }
    }

    /// <summary>The chat's line for a call: "Video call · 2:31", "Missed voice call", "Declined video call".</summary>
    public static string CallLine(CallKind kind, CallEndReason reason, TimeSpan? duration)
    {
        var name = kind == CallKind.Video ? "video call" : "voice call";
        if (duration is { } d)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{char.ToUpperInvariant(name[0])}{name[1..]} · {FormatDuration(d)}");
        }

        return reason == CallEndReason.Declined ? $"Declined {name}" : $"Missed {name}";
    }

    /// <summary>A call's length as a clock shows it: 0:07, 2:31, 1:02:03.</summary>
    public static string FormatDuration(TimeSpan duration)
    {
        var seconds = (long)Math.Max(0, duration.TotalSeconds);
        return seconds >= 3600
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}:{seconds / 60 % 60:00}:{seconds % 60:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}:{seconds % 60:00}");
    }

    /// <summary>A chat's calls: the one ringing or running, the last one, and each side's allowance for placing calls.</summary>
    private sealed class ChatCalls
    {
        public CallState? Current { get; set; }

        public CallState? Last { get; set; }

        public TokenBucket FirstStarts;

        public TokenBucket SecondStarts;
    }

    private sealed class CallState(long id, Conversation conversation, CallKind kind, UserState caller, UserState callee, ChatConnection callerTab)
    {
        public long Id { get; } = id;

        public Conversation Conversation { get; } = conversation;

        public CallKind Kind { get; set; } = kind;

        public UserState Caller { get; } = caller;

        public UserState Callee { get; } = callee;

        public ChatConnection CallerTab { get; } = callerTab;

        /// <summary>The callee's tab that answered; null while the call rings.</summary>
        public ChatConnection? CalleeTab { get; set; }

        public bool Ringing => CalleeTab is null;

        public DateTimeOffset? AcceptedAt { get; set; }

        public ITimer? RingTimer { get; set; }

        public int Signals { get; set; }

        /// <summary>The caller's signalling while the call rings, for the tab that answers; null when none.</summary>
        public List<CallSignalReceived>? Held { get; set; }

        public int HeldChars { get; set; }

        public TokenBucket CallerSignals;

        public TokenBucket CalleeSignals;
    }

    private sealed record RingDue(ChatRouter Router, CallState Call)
    {
        public void Fire() => Router.OnRingDue(Call);
    }
}
