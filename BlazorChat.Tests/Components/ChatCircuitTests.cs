using System.Security.Claims;
using BlazorChat.Accounts;
using BlazorChat.Chat;
using BlazorChat.Components.Chat;
using BlazorChat.Tests.Chat;
using Microsoft.AspNetCore.Components.Authorization;

namespace BlazorChat.Tests.Components;

public sealed class ChatCircuitTests
{
    private readonly RouterFixture _fixture = new(new ChatOptions { LeaveGrace = TimeSpan.FromSeconds(3), ReconnectGrace = TimeSpan.FromSeconds(60) });

    [Fact]
    public async Task ConnectAsync_UsesTheSignedInPrincipal()
    {
        var circuit = new ChatCircuit(_fixture.Router, new FixedAuthenticationState("karam", "s1"));

        var connection = await circuit.ConnectAsync(_ => Task.CompletedTask);

        Assert.Equal("karam", connection.UserName);
        Assert.Equal("s1", connection.SessionId);
    }

    [Fact]
    public async Task ConnectAsync_SignedOut_Throws()
    {
        var circuit = new ChatCircuit(_fixture.Router, new FixedAuthenticationState(null, null));

        await Assert.ThrowsAsync<InvalidOperationException>(() => circuit.ConnectAsync(_ => Task.CompletedTask));
        Assert.Equal(0, _fixture.Router.ConnectionCount);
    }

    [Fact]
    public async Task OnCircuitClosed_ClosesItsConnectionsSoThePartnerIsToldAfterTheGrace()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        pair.B.Dispose();
        var circuit = new ChatCircuit(_fixture.Router, new FixedAuthenticationState("karam", "s1"));
        await circuit.ConnectAsync(_ => Task.CompletedTask);

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
        var circuit = new ChatCircuit(_fixture.Router, new FixedAuthenticationState("karam", "s1"));
        var connection = await circuit.ConnectAsync(_ => Task.CompletedTask);

        await circuit.OnConnectionDownAsync(null!, CancellationToken.None);
        _fixture.Time.Advance(TimeSpan.FromSeconds(30));
        await circuit.OnConnectionUpAsync(null!, CancellationToken.None);
        _fixture.Time.Advance(TimeSpan.FromSeconds(60));

        Assert.NotNull(connection.GetSnapshot().Conversation);
        Assert.DoesNotContain(pair.AEvents.Events, e => e is ChatEnded);
    }

    [Fact]
    public async Task OnConnectionDown_ForLongerThanTheGrace_EndsTheChat()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        pair.B.Dispose();
        var circuit = new ChatCircuit(_fixture.Router, new FixedAuthenticationState("karam", "s1"));
        await circuit.ConnectAsync(_ => Task.CompletedTask);

        await circuit.OnConnectionDownAsync(null!, CancellationToken.None);
        _fixture.Time.Advance(TimeSpan.FromSeconds(61));

        Assert.Equal(ChatEndReason.Left, (await pair.AEvents.WaitForAsync<ChatEnded>()).Reason);
    }

    [Fact]
    public async Task Dispose_ClosesConnectionsOnce()
    {
        var circuit = new ChatCircuit(_fixture.Router, new FixedAuthenticationState("hamza", "s1"));
        await circuit.ConnectAsync(_ => Task.CompletedTask);
        await circuit.ConnectAsync(_ => Task.CompletedTask);

        circuit.Dispose();
        circuit.Dispose();

        Assert.Equal(0, _fixture.Router.ConnectionCount);
        Assert.Empty(_fixture.Router.FindInvariantViolations());
    }

    [Fact]
    public async Task SignInEndingWhileAConnectionOpens_SignsThatConnectionOutToo()
    {
        var circuit = new ChatCircuit(_fixture.Router, new SignInEndsDuringTheRead("karam", "s1"));
        var events = new EventRecorder();

        var connection = await circuit.ConnectAsync(events.Handle);

        await events.WaitForAsync<SignedOut>();
        Assert.Equal(0, _fixture.Router.ConnectionCount);
        Assert.Equal(PickResult.Disconnected, connection.Pick("hamza"));
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
