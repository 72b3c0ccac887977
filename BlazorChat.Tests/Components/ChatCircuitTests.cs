using System.Net;
using System.Security.Claims;
using BlazorChat.Accounts;
using BlazorChat.Chat;
using BlazorChat.Cluster;
using BlazorChat.Components.Chat;
using BlazorChat.Tests.Accounts;
using BlazorChat.Tests.Chat;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace BlazorChat.Tests.Components;

public sealed class ChatCircuitTests
{
    private readonly RouterFixture _fixture = new(new ChatOptions { LeaveGrace = TimeSpan.FromSeconds(3), ReconnectGrace = TimeSpan.FromSeconds(60) });

    [Fact]
    public async Task ConnectAsync_UsesTheSignedInPrincipal()
    {
        var circuit = NewCircuit(new FixedAuthenticationState("karam", "s1"));

        var connection = await ConnectAsync(circuit, _ => Task.CompletedTask);

        Assert.Equal("karam", connection.UserName);
        Assert.Equal("s1", connection.SessionId);
    }

    [Fact]
    public async Task ConnectAsync_SignedOut_OpensNothing()
    {
        var circuit = NewCircuit(new FixedAuthenticationState(null, null));

        var result = await circuit.ConnectAsync(_ => Task.CompletedTask);

        Assert.Equal(new JoinResult(ConnectStatus.SignedOut), result);
        Assert.Equal(0, _fixture.Router.ConnectionCount);
    }

    [Fact]
    public async Task OnCircuitClosed_ClosesItsConnectionsSoThePartnerIsToldAfterTheGrace()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        pair.B.Dispose();
        var circuit = NewCircuit(new FixedAuthenticationState("karam", "s1"));
        await ConnectAsync(circuit, _ => Task.CompletedTask);

        await circuit.OnCircuitClosedAsync(null!, CancellationToken.None);
        _fixture.Time.Advance(TimeSpan.FromSeconds(3));

        var ended = await pair.AEvents.WaitForAsync<ChatEnded>();
        Assert.Equal(("karam", ChatEndReason.Left), (ended.EndedBy, ended.Reason));
        Assert.Equal(1, _fixture.Router.ConnectionCount);
    }

    [Fact]
    public async Task OnConnectionDownThenUp_KeepsTheChat()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        pair.B.Dispose();
        var circuit = NewCircuit(new FixedAuthenticationState("karam", "s1"));
        var connection = await ConnectAsync(circuit, _ => Task.CompletedTask);

        await circuit.OnConnectionDownAsync(null!, CancellationToken.None);
        _fixture.Time.Advance(TimeSpan.FromSeconds(30));
        await circuit.OnConnectionUpAsync(null!, CancellationToken.None);
        _fixture.Time.Advance(TimeSpan.FromSeconds(60));

        Assert.NotNull((await connection.GetSnapshotAsync()).Conversation);
        Assert.DoesNotContain(pair.AEvents.Events, e => e is ChatEnded);
    }

    [Fact]
    public async Task OnConnectionDown_ForLongerThanTheGrace_EndsTheChat()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        pair.B.Dispose();
        var circuit = NewCircuit(new FixedAuthenticationState("karam", "s1"));
        await ConnectAsync(circuit, _ => Task.CompletedTask);

        await circuit.OnConnectionDownAsync(null!, CancellationToken.None);
        _fixture.Time.Advance(TimeSpan.FromSeconds(61));

        Assert.Equal(ChatEndReason.Left, (await pair.AEvents.WaitForAsync<ChatEnded>()).Reason);
    }

    [Fact]
    public async Task Dispose_ClosesConnectionsOnce()
    {
        var circuit = NewCircuit(new FixedAuthenticationState("hamza", "s1"));
        await ConnectAsync(circuit, _ => Task.CompletedTask);
        await ConnectAsync(circuit, _ => Task.CompletedTask);

        circuit.Dispose();
        circuit.Dispose();

        await RouterFixture.UntilAsync(() => _fixture.Router.ConnectionCount == 0, "both tabs closed");
        Assert.Empty(_fixture.Router.FindInvariantViolations());
    }

    [Fact]
    public async Task SignInEndingWhileAConnectionOpens_OpensNothing()
    {
        var circuit = NewCircuit(new SignInEndsDuringTheRead("karam", "s1"));

        var result = await circuit.ConnectAsync(_ => Task.CompletedTask);

        Assert.Equal(ConnectStatus.SignedOut, result.Status);
        Assert.Equal(0, _fixture.Router.ConnectionCount);
        Assert.Equal(PresenceStatus.Offline, _fixture.Router.StatusOf("karam"));
    }

    [Fact]
    public async Task ConnectAsync_CountsTheTabAgainstTheAddressItsCircuitStartedFrom()
    {
        var fixture = new RouterFixture(new ChatOptions { MaxTabsPerAddress = 1 });
        var request = new DefaultHttpContext { Connection = { RemoteIpAddress = IPAddress.Parse("::ffff:192.0.2.7") } };
        var first = new ChatCircuit(fixture.Silo, new FixedAuthenticationState("hamza", "s1"), new HttpContextAccessor { HttpContext = request });
        var second = new ChatCircuit(fixture.Silo, new FixedAuthenticationState("karam", "s2"), new HttpContextAccessor { HttpContext = request });
        await first.ConnectAsync(_ => Task.CompletedTask);

        // Blazor's own request is gone once the circuit runs: the address is the one read when the circuit started.
        request.Connection.RemoteIpAddress = IPAddress.Parse("198.51.100.1");
        var refused = await second.ConnectAsync(_ => Task.CompletedTask);

        Assert.Equal(ConnectStatus.TooManyTabsFromAddress, refused.Status);
        Assert.Equal(1, fixture.Router.ConnectionCount);
    }

    [Theory]
    [InlineData("192.0.2.7", "192.0.2.7")]
    [InlineData("::ffff:192.0.2.7", "192.0.2.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    public void AddressKey_IsTheIPv4AddressOrTheIPv6Slash64(string address, string key) =>
        Assert.Equal(key, ChatCircuit.AddressKey(IPAddress.Parse(address)));

    // karam in the database with one open sign-in, and a tab's sign-in state (the real provider) showing it.
    private async Task<(SignInSessions Sessions, string SessionId, SessionRevalidatingStateProvider Provider)> KaramSignedInAsync(AccountsTestDatabase database)
    {
        var sessions = new SignInSessions(database.Factory, _fixture.Time);
        await database.AddUserAsync("karam", "-");
        var sessionId = await sessions.StartAsync((await database.ReadUserAsync("karam")).Id, CancellationToken.None);
        var provider = new SessionRevalidatingStateProvider(NullLoggerFactory.Instance, sessions);
        provider.SetAuthenticationState(Task.FromResult(SignedIn("karam", sessionId)));
        return (sessions, sessionId, provider);
    }

    [Fact]
    public async Task ConnectAsync_SessionSignedOutBeforeTheTabJoins_NeverComesOnline()
    {
        // A chat page added to a circuit opened before its session was signed out (the circuit's state still says
        // signed in, and the timer has not checked it yet).
        await using var database = await AccountsTestDatabase.CreateAsync();
        var (sessions, sessionId, provider) = await KaramSignedInAsync(database);
        using var signIn = provider;
        var (hamza, hamzaEvents) = _fixture.Connect("hamza");
        await sessions.EndAsync(sessionId, CancellationToken.None);
        var circuit = NewCircuit(provider);

        var result = await circuit.ConnectAsync(_ => Task.CompletedTask);

        Assert.Equal(new JoinResult(ConnectStatus.SignedOut), result);
        Assert.Equal(PresenceStatus.Offline, hamza.StatusOf("karam"));
        Assert.Equal(1, _fixture.Router.ConnectionCount);
        Assert.DoesNotContain(hamzaEvents.Events, e => e is PeopleChanged);
        Assert.False((await provider.GetAuthenticationStateAsync()).User.Identity!.IsAuthenticated);
    }

    [Fact]
    public async Task ConnectAsync_SessionStillOpen_Joins()
    {
        await using var database = await AccountsTestDatabase.CreateAsync();
        var (_, _, provider) = await KaramSignedInAsync(database);
        using var signIn = provider;

        var connection = await ConnectAsync(NewCircuit(provider), _ => Task.CompletedTask);

        Assert.Equal(PresenceStatus.Online, _fixture.Router.StatusOf("karam"));
    }

    [Fact]
    public async Task OnConnectionUp_FromAnotherSignInsRequest_RefusesTheReconnectAndClosesOnlyThisTab()
    {
        var (phone, _) = _fixture.Connect("karam", "s1");
        var reconnect = new DefaultHttpContext();
        var circuit = NewCircuit(new FixedAuthenticationState("karam", "s1"), reconnect);
        var events = new EventRecorder();
        var connection = await ConnectAsync(circuit, events.Handle);

        reconnect.User = SignedIn("hamza", "s9").User;
        await circuit.OnConnectionDownAsync(null!, CancellationToken.None);
        await Assert.ThrowsAsync<InvalidOperationException>(() => circuit.OnConnectionUpAsync(null!, CancellationToken.None));

        await events.WaitForAsync<SignedOut>();
        Assert.Equal(PickResult.Disconnected, await connection.PickAsync("hira"));
        Assert.Equal(1, _fixture.Router.ConnectionCount);
        Assert.Equal(PickResult.Waiting, phone.Pick("hira"));
        Assert.Equal(ConnectStatus.SignedOut, (await circuit.ConnectAsync(_ => Task.CompletedTask)).Status);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("karam", "s2")]
    public async Task OnConnectionUp_FromAnUnknownOrOtherSessionsRequest_IsRefused(string? userName, string? sessionId)
    {
        var reconnect = new DefaultHttpContext();
        var circuit = NewCircuit(new FixedAuthenticationState("karam", "s1"), reconnect);
        await ConnectAsync(circuit, _ => Task.CompletedTask);
        reconnect.User = userName is null ? new ClaimsPrincipal(new ClaimsIdentity()) : SignedIn(userName, sessionId!).User;

        await Assert.ThrowsAsync<InvalidOperationException>(() => circuit.OnConnectionUpAsync(null!, CancellationToken.None));
        Assert.Equal(0, _fixture.Router.ConnectionCount);
    }

    [Fact]
    public async Task OnConnectionUp_FromTheSameSignIn_KeepsTheTab()
    {
        var reconnect = new DefaultHttpContext();
        var circuit = NewCircuit(new FixedAuthenticationState("karam", "s1"), reconnect);
        var connection = await ConnectAsync(circuit, _ => Task.CompletedTask);
        reconnect.User = SignedIn("KARAM", "s1").User;

        await circuit.OnConnectionDownAsync(null!, CancellationToken.None);
        await circuit.OnConnectionUpAsync(null!, CancellationToken.None);

        Assert.Equal(PickResult.Waiting, await connection.PickAsync("hira"));
    }

    [Fact]
    public async Task AuthenticationStateChangedToAnotherUser_ClosesThisCircuitsTabs_AndOpensNoMore()
    {
        var state = new ChangingAuthenticationState(SignedIn("karam", "s1"));
        var circuit = NewCircuit(state);
        var events = new EventRecorder();
        var connection = await ConnectAsync(circuit, events.Handle);

        state.Change(SignedIn("hamza", "s9"));

        await events.WaitForAsync<SignedOut>();
        Assert.Equal(0, _fixture.Router.ConnectionCount);
        Assert.Equal(PresenceStatus.Offline, _fixture.Router.StatusOf("hamza"));
        Assert.Equal(ConnectStatus.SignedOut, (await circuit.ConnectAsync(_ => Task.CompletedTask)).Status);
        Assert.Equal(PickResult.Disconnected, await connection.PickAsync("hira"));
    }

    private static AuthenticationState SignedIn(string userName, string sessionId) =>
        new(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, userName), new Claim(AccountClaims.SessionId, sessionId)], "test")));

    private ChatCircuit NewCircuit(AuthenticationStateProvider authenticationState, HttpContext? request = null) =>
        new(_fixture.Silo, authenticationState, new HttpContextAccessor { HttpContext = request });

    private static async Task<ChatTab> ConnectAsync(ChatCircuit circuit, Func<ChatEvent, Task> onEvent)
    {
        var result = await circuit.ConnectAsync(onEvent);
        return result.Tab ?? throw new InvalidOperationException($"Refused: {result.Status}");
    }

    /// <summary>Signed in when read, but the sign-in ends at once, before the reader has done anything with it.</summary>
    private sealed class SignInEndsDuringTheRead(string userName, string sessionId) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync()
        {
            var signedIn = new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim(ClaimTypes.Name, userName), new Claim(AccountClaims.SessionId, sessionId)], "test")));
            NotifyAuthenticationStateChanged(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity()))));
            return Task.FromResult(signedIn);
        }
    }

    /// <summary>A circuit's authentication state, which the test changes as Blazor does on a reconnect.</summary>
    private sealed class ChangingAuthenticationState(AuthenticationState initial) : AuthenticationStateProvider
    {
        private Task<AuthenticationState> _state = Task.FromResult(initial);

        public override Task<AuthenticationState> GetAuthenticationStateAsync() => _state;

        public void Change(AuthenticationState state)
        {
            _state = Task.FromResult(state);
            NotifyAuthenticationStateChanged(_state);
        }
    }

    /// <summary>A circuit's authentication state: signed in as one user, or not at all.</summary>
    private sealed class FixedAuthenticationState(string? userName, string? sessionId) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync()
        {
            var identity = userName is null
                ? new ClaimsIdentity()
                : new ClaimsIdentity([new Claim(ClaimTypes.Name, userName), new Claim(AccountClaims.SessionId, sessionId ?? "")], "test");
            return Task.FromResult(new AuthenticationState(new ClaimsPrincipal(identity)));
        }
    }
}
