using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using BlazorChat.Accounts;
using BlazorChat.Chat;
using BlazorChat.Cluster;
using BlazorChat.Data;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace BlazorChat.Components.Chat;

/// <summary>
/// The chat's view of one circuit (one browser tab). Opens router connections as the circuit's signed-in
/// user, tells the router when the browser's connection drops and returns, closes them when the
/// circuit ends, even if no component gets the chance to, and signs the tab out when its sign-in ends.
/// A circuit belongs to the sign-in that first joined the chat from it: reconnected over another cookie, it is closed.
/// </summary>
public sealed class ChatCircuit : CircuitHandler, IDisposable
{
    private readonly ChatSilo _silo;
    private readonly AuthenticationStateProvider _authenticationState;
    private readonly IHttpContextAccessor _httpContext;
    private readonly string? _clientAddress;
    private readonly Lock _lock = new();
    private readonly List<(ChatTab Connection, Func<ChatEvent, Task> OnEvent)> _connections = [];
    private (string UserName, string? SessionId)? _owner;
    private bool _browserConnected = true;
    private bool _signedOut;

    public ChatCircuit(ChatSilo silo, AuthenticationStateProvider authenticationState, IHttpContextAccessor httpContext)
    {
        _silo = silo;
        _authenticationState = authenticationState;
        _httpContext = httpContext;

        // Blazor makes a circuit's handlers inside the hub call that starts the circuit, so this is the request of the
        // browser's live connection (after any forwarded-headers middleware has put the client's address on it).
        _clientAddress = AddressKey(httpContext.HttpContext?.Connection.RemoteIpAddress);
        _authenticationState.AuthenticationStateChanged += OnAuthenticationStateChanged;
    }

    /// <summary>
    /// Opens a connection for whoever this circuit is signed in as; nothing the browser sends decides that. Refused
    /// (no connection) when the sign-in has ended, or the user or the tab's address has too many tabs open.
    /// </summary>
    public async Task<JoinResult> ConnectAsync(Func<ChatEvent, Task> onEvent)
    {
        // SessionRevalidatingStateProvider checks the session on every read: a tab of an ended sign-in reads "signed out".
        var state = await _authenticationState.GetAuthenticationStateAsync();
        if (state.User.Identity is not { IsAuthenticated: true, Name: { Length: > 0 } userName })
        {
            return new JoinResult(ConnectStatus.SignedOut);
        }

        var sessionId = state.User.FindFirstValue(AccountClaims.SessionId);
        lock (_lock)
        {
            _owner ??= (userName, sessionId);
            if (_signedOut || !IsSignIn(_owner.Value, state.User))
            {
                return new JoinResult(ConnectStatus.SignedOut);
            }
        }

        var result = await _silo.JoinAsync(userName, onEvent, sessionId, _clientAddress);
        if (result.Tab is not { } connection)
        {
            return result;
        }

        bool connected;
        bool signedOut;
        lock (_lock)
        {
            _connections.RemoveAll(static c => c.Connection.IsDisposed);
            _connections.Add((connection, onEvent));
            connected = _browserConnected;
            signedOut = _signedOut;
        }

        if (!connected)
        {
            await connection.SetReachableAsync(false);
        }

        if (signedOut)
        {
            // The sign-in ended while this connection was opening: the sign-out above did not see it.
            await SignOutAsync(connection);
        }
        else
        {
            // The session may have been signed out between the check and the connection opening, after the sign-out had
            // closed that sign-in's tabs: read (so check) it once more, which signs this tab out too if so.
            await _authenticationState.GetAuthenticationStateAsync();
        }

        return result;
    }

    /// <summary>Whether every event posted to this circuit's tabs has been handled. For tests.</summary>
    internal async Task<bool> IsIdleAsync()
    {
        ChatTab[] tabs;
        lock (_lock)
        {
            tabs = [.. _connections.Select(static c => c.Connection)];
        }

        foreach (var tab in tabs)
        {
            if (!await tab.IsIdleAsync())
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// What the per-address tab limit counts a client by: its IPv4 address, or its IPv6 /64 (one home or phone gets a
    /// whole /64 and could otherwise count as any number of clients). Null when not known.
    /// </summary>
    internal static string? AddressKey(IPAddress? address)
    {
        if (address is null)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes) + "/64";
    }

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken) => SetReachableAsync(false);

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        // Blazor calls this from the hub call that (re)connects the circuit, before it sends the tab anything or hands it
        // the new connection's user: this is that connection's request, with the cookie it came with. A circuit id is
        // all it takes to reconnect, so a connection signed in as someone else (or not at all) must not get the tab:
        // throwing here makes Blazor refuse the reconnect and end the circuit.
        return _httpContext.HttpContext?.User is { } user && !IsOwner(user) ? RefuseTakeOverAsync() : SetReachableAsync(true);
    }

    private async Task RefuseTakeOverAsync()
    {
        await CloseAsTakenOverAsync();
        throw new InvalidOperationException("A tab was reconnected with another sign-in's cookie; its circuit is closed.");
    }

    public override async Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        _authenticationState.AuthenticationStateChanged -= OnAuthenticationStateChanged;
        foreach (var (connection, _) in TakeAll())
        {
            await connection.DisposeAsync();
        }
    }

    public void Dispose()
    {
        _authenticationState.AuthenticationStateChanged -= OnAuthenticationStateChanged;
        foreach (var (connection, _) in TakeAll())
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
            // Blazor hands a reconnected circuit the new connection's user; OnConnectionUpAsync has refused another
            // sign-in's already when it could see the connection's request. This catches it when it could not.
            if (!IsOwner(state.User))
            {
                await CloseAsTakenOverAsync();
            }

            return;
        }

        ChatTab[] connections;
        lock (_lock)
        {
            _signedOut = true;
            connections = [.. _connections.Select(static c => c.Connection)];
        }

        foreach (var connection in connections)
        {
            await SignOutAsync(connection);
        }
    }

    // Whether user is the sign-in this circuit joined the chat as (any user, before it has joined).
    private bool IsOwner(ClaimsPrincipal user)
    {
        lock (_lock)
        {
            return _owner is not { } owner || IsSignIn(owner, user);
        }
    }

    private static bool IsSignIn((string UserName, string? SessionId) signIn, ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true, Name: { } name }
        && UserNames.Equals(name, signIn.UserName)
        && string.Equals(user.FindFirstValue(AccountClaims.SessionId), signIn.SessionId, StringComparison.Ordinal);

    // The owner's sign-in is still valid (their other tabs stay): only this circuit's tabs are closed, each told it is
    // signed out so that a browser leaves for the sign-in page, and the circuit opens no more.
    private async Task CloseAsTakenOverAsync()
    {
        (ChatTab Connection, Func<ChatEvent, Task> OnEvent)[] taken;
        lock (_lock)
        {
            _signedOut = true;
            taken = TakeAllLocked();
        }

        foreach (var (connection, onEvent) in taken)
        {
            await connection.DisposeAsync();
            _ = onEvent(new SignedOut());
        }
    }

    // Only the connection's own sign-in: a sign-out without one would end all of the user's sign-ins.
    private Task SignOutAsync(ChatTab connection) =>
        !connection.IsDisposed && connection.SessionId is { } sessionId
            ? _silo.SignOutAsync(connection.UserName, sessionId)
            : Task.CompletedTask;

    private async Task SetReachableAsync(bool reachable)
    {
        ChatTab[] connections;
        lock (_lock)
        {
            _browserConnected = reachable;
            connections = [.. _connections.Select(static c => c.Connection)];
        }

        foreach (var connection in connections)
        {
            await connection.SetReachableAsync(reachable);
        }
    }

    private (ChatTab Connection, Func<ChatEvent, Task> OnEvent)[] TakeAll()
    {
        lock (_lock)
        {
            return TakeAllLocked();
        }
    }

    private (ChatTab Connection, Func<ChatEvent, Task> OnEvent)[] TakeAllLocked()
    {
        (ChatTab, Func<ChatEvent, Task>)[] all = [.. _connections];
        _connections.Clear();
        return all;
    }
}
