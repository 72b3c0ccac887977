using System.Security.Claims;
using BlazorChat.Accounts;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BlazorChat.Tests.Accounts;

public sealed class SignInSessionsTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
    private AccountsTestDatabase _database = null!;
    private int _userId;

    public async Task InitializeAsync()
    {
        _database = await AccountsTestDatabase.CreateAsync();
        await _database.AddUserAsync("hamza", AccountsTestDatabase.CreateFastHasher().HashPassword(null!, "123"));
        _userId = (await _database.ReadUserAsync("hamza")).Id;
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task StartAsync_GivesAnOpenSessionWithANewIdEachTime()
    {
        var sessions = new SignInSessions(_database.Factory, _time);

        var first = await sessions.StartAsync(_userId, CancellationToken.None);
        var second = await sessions.StartAsync(_userId, CancellationToken.None);

        Assert.NotEqual(first, second);
        Assert.True(await sessions.IsActiveAsync(first, CancellationToken.None));
        Assert.True(await sessions.IsActiveAsync(second, CancellationToken.None));
    }

    [Fact]
    public async Task EndAsync_EndsOnlyThatSession()
    {
        var sessions = new SignInSessions(_database.Factory, _time);
        var laptop = await sessions.StartAsync(_userId, CancellationToken.None);
        var phone = await sessions.StartAsync(_userId, CancellationToken.None);

        await sessions.EndAsync(laptop, CancellationToken.None);

        Assert.False(await sessions.IsActiveAsync(laptop, CancellationToken.None));
        Assert.True(await sessions.IsActiveAsync(phone, CancellationToken.None));
    }

    [Fact]
    public async Task IsActiveAsync_UnknownMissingOrTooOld_IsFalse()
    {
        var sessions = new SignInSessions(_database.Factory, _time);
        var session = await sessions.StartAsync(_userId, CancellationToken.None);

        _time.Advance(SignInSessions.MaxAge + TimeSpan.FromMinutes(1));

        Assert.False(await sessions.IsActiveAsync(session, CancellationToken.None));
        Assert.False(await sessions.IsActiveAsync("not-a-session", CancellationToken.None));
        Assert.False(await sessions.IsActiveAsync(null, CancellationToken.None));
    }

    [Fact]
    public async Task Revalidation_AfterSignOut_SaysTheTabIsNoLongerSignedIn()
    {
        var sessions = new SignInSessions(_database.Factory, _time);
        var sessionId = await sessions.StartAsync(_userId, CancellationToken.None);
        using var provider = new SessionRevalidatingStateProvider(NullLoggerFactory.Instance, sessions);
        var state = new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "hamza"), new Claim(AccountClaims.SessionId, sessionId)], "cookie")));
        Assert.True(await provider.IsStillSignedInAsync(state, CancellationToken.None));

        await sessions.EndAsync(sessionId, CancellationToken.None);

        Assert.False(await provider.IsStillSignedInAsync(state, CancellationToken.None));
    }
}
