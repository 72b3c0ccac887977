using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace BlazorChat.Accounts;

/// <summary>
/// An open tab (circuit) keeps the identity it started with; this checks that its session is still open every
/// 30 seconds and whenever the state is read (a tab joining the chat reads it), and when it is not, the tab's state
/// becomes signed out, on which ChatCircuit signs the tab out of the chat (back to the sign-in page).
/// </summary>
public sealed partial class SessionRevalidatingStateProvider(ILoggerFactory loggerFactory, SignInSessions sessions)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<SessionRevalidatingStateProvider>();

    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(30);

    // The timer alone let a tab of a session signed out moments before join the chat (a page added to a circuit opened
    // earlier) until the next check. A read costs one indexed query; a circuit reads its state a few times at most.
    public override async Task<AuthenticationState> GetAuthenticationStateAsync()
    {
        var current = base.GetAuthenticationStateAsync();
        var state = await current;
        if (state.User.Identity is not { IsAuthenticated: true } || await IsStillSignedInAsync(state, CancellationToken.None))
        {
            return state;
        }

        var signedOut = Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity())));
        if (current == base.GetAuthenticationStateAsync())
        {
            // Not if the circuit has been handed another user meanwhile: that one is checked when read.
            SetAuthenticationState(signedOut);
        }

        return await signedOut;
    }

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        IsStillSignedInAsync(authenticationState, cancellationToken);

    internal async Task<bool> IsStillSignedInAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        try
        {
            return await sessions.IsActiveAsync(authenticationState.User.FindFirst(AccountClaims.SessionId)?.Value, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The framework signs a tab out when its check throws: a database that failed once (busy past its
            // timeout, a disk error) would end every open chat. The tab stays signed in until a check can answer;
            // every new request still checks its cookie against the database.
            LogCheckFailed(_logger, ex);
            return true;
        }
    }

    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "Could not check whether an open tab's sign-in is still valid; it stays signed in until the next check")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);
}
