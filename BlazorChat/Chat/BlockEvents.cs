namespace BlazorChat.Chat;

/// <summary>This user blocked (or unblocked) <paramref name="Person"/>, in this tab or another. Only the blocker is told.</summary>
[GenerateSerializer, Immutable]
public sealed record BlockChanged(string Person, bool Blocked) : ChatEvent;
