using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace BlazorChat.Accounts;

/// <summary>
/// An open tab (circuit) keeps the identity it started with; this checks every 30 seconds that its session
/// is still open, and signs the tab out (back to the sign-in page) when it is not.
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
