using BlazorChat.Chat;

namespace BlazorChat.Calls;

[GenerateSerializer]
public enum CallKind
{
    Voice,
    Video,
}

/// <summary>How one tab takes part in a call: each tab of the two people is told its own phase.</summary>
[GenerateSerializer]
public enum CallPhase
{
    /// <summary>This tab placed the call and waits for an answer ("Calling karam…").</summary>
    Outgoing,

    /// <summary>This tab rings ("hamza is calling (video)"); every tab of the callee does.</summary>
    Incoming,

    /// <summary>This tab is one end of the call: it owns the peer connection and may signal.</summary>
    Active,

    /// <summary>The call goes on in another tab of the same person: this tab shows that and nothing more.</summary>
    Elsewhere,
}

/// <summary>Why a call ended (after the Matrix VoIP module's hang-up reasons).</summary>
[GenerateSerializer]
public enum CallEndReason
{
    /// <summary>One side pressed "Hang up".</summary>
    HungUp,

    /// <summary>The caller cancelled before an answer.</summary>
    Cancelled,

    /// <summary>The callee pressed "Decline".</summary>
    Declined,

    /// <summary>Nobody answered within <see cref="CallOptions.RingTimeout"/> (invite_timeout).</summary>
    NoAnswer,

    /// <summary>A camera or microphone was blocked or missing (user_media_failed).</summary>
    MediaFailed,

    /// <summary>The media connection failed and did not come back (ice_failed / ice_timeout).</summary>
    ConnectionLost,

    /// <summary>The chat ended (@end, "End chat", sign-out, the partner leaving).</summary>
    ChatEnded,

    /// <summary>The tab holding one end of the call closed or reloaded.</summary>
    TabClosed,
}

/// <summary>What a signalling message carries; its payload is opaque to the server.</summary>
[GenerateSerializer]
public enum CallSignalKind
{
    /// <summary>An SDP offer or answer (RTCSessionDescription as JSON).</summary>
    Description,

    /// <summary>A trickled ICE candidate (RTCIceCandidate as JSON).</summary>
    Candidate,

    /// <summary>The sender's media state (muted, camera off, sharing), for the partner's view.</summary>
    Media,
}

/// <summary>Every call event: a chat page hands these to its call view rather than to the chat.</summary>
[GenerateSerializer, Immutable]
public abstract record CallEvent : ChatEvent
{
    public abstract long CallId { get; init; }
}

/// <summary>A call rang, was answered, or moved to another tab: this tab's <paramref name="Phase"/> in it.</summary>
[GenerateSerializer, Immutable]
public sealed record CallChanged(
    long ConversationId, long CallId, CallKind Kind, string Caller, string Callee, CallPhase Phase, DateTimeOffset? AcceptedAt)
    : CallEvent;

/// <summary>The call is over for both; <paramref name="Duration"/> is how long it ran from the answer (null: never answered).</summary>
[GenerateSerializer, Immutable]
public sealed record CallEnded(
    long ConversationId, long CallId, CallKind Kind, string Caller, string Callee, CallEndReason Reason, string EndedBy, TimeSpan? Duration)
    : CallEvent;

/// <summary>Signalling from the other end of the call, for this tab's peer connection only.</summary>
[GenerateSerializer, Immutable]
public sealed record CallSignalReceived(long CallId, CallSignalKind Kind, string Payload) : CallEvent;
