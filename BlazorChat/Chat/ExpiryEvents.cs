namespace BlazorChat.Chat;

/// <summary>This user's request to <paramref name="Peer"/> lapsed (<see cref="ChatOptions.PickExpiry"/>) unanswered.</summary>
[GenerateSerializer, Immutable]
public sealed record PickExpired(string Peer) : ChatEvent;

/// <summary>The request <paramref name="From"/> made to this user lapsed unanswered.</summary>
[GenerateSerializer, Immutable]
public sealed record ChatRequestExpired(string From) : ChatEvent;
