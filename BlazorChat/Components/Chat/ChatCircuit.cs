using System.Security.Claims;
using BlazorChat.Accounts;
using BlazorChat.Chat;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace BlazorChat.Components.Chat;

/// <summary>
/// The chat's view of one circuit (one browser tab). Opens router connections as the circuit's signed-in
/// user, tells the router when the browser's connection drops and returns, and closes them when the
/// circuit ends, even if no component gets the chance to.
/// </summary>
public sealed class ChatCircuit(ChatRouter router, AuthenticationStateProvider authenticationState) : CircuitHandler, IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<ChatConnection> _connections = [];
    private bool _browserConnected = true;

    /// <summary>Opens a connection for whoever this circuit is signed in as; nothing the browser sends decides that.</summary>
    public async Task<ChatConnection> ConnectAsync(Func<ChatEvent, Task> onEvent)
    {
        var state = await authenticationState.GetAuthenticationStateAsync();
        if (state.User.Identity is not { IsAuthenticated: true, Name: { Length: > 0 } userName })
        {
            throw new InvalidOperationException("Only a signed-in user can join the chat.");
        }

        var connection = router.Connect(userName, onEvent, state.User.FindFirstValue(AccountClaims.SessionId));
        bool connected;
        lock (_lock)
        {
            _connections.RemoveAll(static c => c.IsDisposed);
            _connections.Add(connection);
            connected = _browserConnected;
        }

        if (!connected)
        {
            connection.SetReachable(false);
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
        foreach (var connection in TakeAll())
        {
            connection.Dispose();
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
