using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace BlazorChat.Accounts;

/// <summary>
/// An open tab (circuit) keeps the identity it started with; this checks every 30 seconds that its session
/// is still open, and when it is not, the tab's state becomes signed out, on which ChatCircuit signs the tab out
/// of the chat (back to the sign-in page).
/// </summary>
public sealed class SessionRevalidatingStateProvider(ILoggerFactory loggerFactory, SignInSessions sessions)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(30);

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        IsStillSignedInAsync(authenticationState, cancellationToken);

    internal Task<bool> IsStillSignedInAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        sessions.IsActiveAsync(authenticationState.User.FindFirst(AccountClaims.SessionId)?.Value, cancellationToken);
}
