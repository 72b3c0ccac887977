using BlazorChat.Calls;
using BlazorChat.Chat;
using BlazorChat.Data;
using MudBlazor;

namespace BlazorChat.Components.Calls;

/// <summary>
/// What one chat page knows of its call: the call ringing or running as this tab takes part in it, and the notice
/// left when one ends. Plain C#, owned by the page; the call panel draws it and owns the browser's side.
/// </summary>
public sealed class CallSession
{
    private readonly Queue<CallSignalReceived> _pending = new();
    private Func<CallSignalReceived, Task>? _signals;

    /// <summary>The call as this tab takes part in it; null when there is none.</summary>
    public CallChanged? Current { get; private set; }

    /// <summary>What the last call's end says to this person; null when nothing is to be said.</summary>
    public CallNotice? Notice { get; set; }

    /// <summary>Set by this tab's panel when its own camera or microphone failed: said in place of the generic notice.</summary>
    public string? MediaProblem { get; set; }

    public bool Shown => Current is not null || Notice is not null;

    /// <summary>Applies a call's change or end for the user <paramref name="me"/>; true when something shown changed.</summary>
    public bool Apply(CallEvent callEvent, string me)
    {
        switch (callEvent)
        {
            case CallChanged changed when Current is null || changed.CallId >= Current.CallId:
                if (Current?.CallId != changed.CallId)
                {
                    _pending.Clear();
                }

                Current = changed;
                Notice = null;
                MediaProblem = changed.Phase is CallPhase.Outgoing or CallPhase.Active ? MediaProblem : null;
                return true;
            case CallEnded ended when Current is null || Current.CallId == ended.CallId:
                Current = null;
                _pending.Clear();
                Notice = NoticeFor(ended, me, MediaProblem);
                MediaProblem = null;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Hands a signal to the panel; kept until the panel listens if it does not yet.</summary>
    public Task DeliverAsync(CallSignalReceived signal)
    {
        if (Current?.CallId != signal.CallId)
        {
            return Task.CompletedTask;
        }

        if (_signals is { } deliver)
        {
            return deliver(signal);
        }

        _pending.Enqueue(signal);
        return Task.CompletedTask;
    }

    /// <summary>The panel listens for signals (null: stops); what came before is handed over first.</summary>
    public async Task ListenAsync(Func<CallSignalReceived, Task>? signals)
    {
        _signals = signals;
        while (signals is not null && _pending.TryDequeue(out var signal))
        {
            await signals(signal);
        }
    }

    public void Clear()
    {
        Current = null;
        Notice = null;
        MediaProblem = null;
        _pending.Clear();
    }

    /// <summary>What an ended call says to <paramref name="me"/>.</summary>
    public static CallNotice? NoticeFor(CallEnded ended, string me, string? ownMediaProblem = null)
    {
        var iCalled = UserNames.Equals(ended.Caller, me);
        var partner = iCalled ? ended.Callee : ended.Caller;
        var byMe = UserNames.Equals(ended.EndedBy, me);
        var kind = ended.Kind == CallKind.Video ? "video call" : "voice call";
        var length = ended.Duration is { } d ? " · " + ChatRouter.FormatDuration(d) : "";
        return ended.Reason switch
        {
            CallEndReason.Declined when iCalled => new($"{partner} declined", Severity.Info),
            CallEndReason.Declined => null,
            CallEndReason.NoAnswer when iCalled => new($"No answer from {partner}", Severity.Info),
            CallEndReason.NoAnswer => new($"Missed {kind} from {partner}", Severity.Warning),
            CallEndReason.Cancelled when !iCalled => new($"Missed {kind} from {partner}", Severity.Warning),
            CallEndReason.Cancelled => null,
            CallEndReason.MediaFailed when byMe => new(ownMediaProblem ?? "Your camera or microphone could not start, so the call ended.", Severity.Error),
            CallEndReason.MediaFailed => new($"{partner}'s camera or microphone could not start, so the call could not go on.", Severity.Warning),
            CallEndReason.ConnectionLost => new($"The call with {partner} was lost: the connection did not come back within 30 seconds.", Severity.Warning),
            CallEndReason.TabClosed when byMe => new($"The call ended: its tab was closed or reloaded{length}.", Severity.Info),
            CallEndReason.TabClosed => new($"{partner} left the call{length}", Severity.Info),
            CallEndReason.HungUp when byMe => new($"Call ended{length}", Severity.Info),
            CallEndReason.HungUp => new($"{partner} hung up{length}", Severity.Info),
            _ => null,
        };
    }

    /// <summary>What to tell a person whose own camera or microphone did not start (a reason from js/calls.js).</summary>
    public static string MediaProblemText(string reason, CallKind kind)
    {
        var devices = kind == CallKind.Video ? "camera and microphone" : "microphone";
        return reason switch
        {
            "blocked" => $"Your browser blocked the {devices}. Allow {(kind == CallKind.Video ? "Camera and Microphone" : "Microphone")} for this site in the browser's site settings (the icon left of the address), then call again.",
            "missing" => $"No {devices} was found. Connect one{(kind == CallKind.Video ? " (a voice call needs only a microphone)" : "")} and call again.",
            "busy" => $"The {devices} could not start: another app may be using it. Close it and call again.",
            "unsupported" => "This browser cannot make calls here (calls need a secure https page and a current browser).",
            _ => $"The {devices} could not start. Check the browser's site settings and call again.",
        };
    }
}

public sealed record CallNotice(string Text, Severity Severity);
