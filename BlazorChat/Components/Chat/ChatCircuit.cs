using System.Security.Claims;
using BlazorChat.Accounts;
using BlazorChat.Chat;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace BlazorChat.Components.Chat;

/// <summary>
/// The chat's view of one circuit (one browser tab). Opens router connections as the circuit's signed-in
/// user, tells the router when the browser's connection drops and returns, closes them when the
/// circuit ends, even if no component gets the chance to, and signs the tab out when its sign-in ends.
/// </summary>
public sealed class ChatCircuit : CircuitHandler, IDisposable
{
    private readonly ChatRouter _router;
    private readonly AuthenticationStateProvider _authenticationState;
    private readonly Lock _lock = new();
    private readonly List<ChatConnection> _connections = [];
    private bool _browserConnected = true;
    private bool _signedOut;

    public ChatCircuit(ChatRouter router, AuthenticationStateProvider authenticationState)
    {
        _router = router;
        _authenticationState = authenticationState;
        _authenticationState.AuthenticationStateChanged += OnAuthenticationStateChanged;
    }

    /// <summary>Opens a connection for whoever this circuit is signed in as; nothing the browser sends decides that.</summary>
    public async Task<ChatConnection> ConnectAsync(Func<ChatEvent, Task> onEvent)
    {
        var state = await _authenticationState.GetAuthenticationStateAsync();
        if (state.User.Identity is not { IsAuthenticated: true, Name: { Length: > 0 } userName })
        {
            throw new InvalidOperationException("Only a signed-in user can join the chat.");
        }

        var connection = _router.Connect(userName, onEvent, state.User.FindFirstValue(AccountClaims.SessionId));
        bool connected;
        bool signedOut;
        lock (_lock)
        {
            _connections.RemoveAll(static c => c.IsDisposed);
            _connections.Add(connection);
            connected = _browserConnected;
            signedOut = _signedOut;
        }

        if (!connected)
        {
            connection.SetReachable(false);
        }

        if (signedOut)
        {
            // The sign-in ended while this connection was opening: the sign-out above did not see it.
            SignOut(connection);
        }

        return connection;
    }

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        SetReachable(false);
        return Task.CompletedTask;
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        SetReachable(true);
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _authenticationState.AuthenticationStateChanged -= OnAuthenticationStateChanged;
        foreach (var connection in TakeAll())
        {
            connection.Dispose();
        }
    }

    // The provider re-checks the sign-in every 30 s (SessionRevalidatingStateProvider). Once it has ended (signed out
    // from another tab or device, or expired), the tab is signed out as the sign-out endpoint does it: the router
    // tells every tab of that sign-in, which leave for the sign-in page. This also catches a tab that was opening
    // while its session was being signed out, which the endpoint's own sign-out could not yet see.
    private void OnAuthenticationStateChanged(Task<AuthenticationState> changed) => _ = SignOutIfEndedAsync(changed);

    private async Task SignOutIfEndedAsync(Task<AuthenticationState> changed)
    {
        var state = await changed;
        if (state.User.Identity is { IsAuthenticated: true })
        {
            return;
        }

        ChatConnection[] connections;
        lock (_lock)
        {
            _signedOut = true;
            connections = [.. _connections];
        }

        foreach (var connection in connections)
        {
            SignOut(connection);
        }
    }

    // Only the connection's own sign-in: a sign-out without one would end all of the user's sign-ins.
    private void SignOut(ChatConnection connection)
    {
        if (!connection.IsDisposed && connection.SessionId is { } sessionId)
        {
            _router.SignOut(connection.UserName, sessionId);
        }
    }

    private void SetReachable(bool reachable)
    {
        ChatConnection[] connections;
        lock (_lock)
        {
            _browserConnected = reachable;
            connections = [.. _connections];
        }

        foreach (var connection in connections)
        {
            connection.SetReachable(reachable);
        }
    }

    private ChatConnection[] TakeAll()
    {
        lock (_lock)
        {
            ChatConnection[] all = [.. _connections];
            _connections.Clear();
            return all;
        }
    }
}
