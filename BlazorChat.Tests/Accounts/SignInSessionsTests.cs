using System.Security.Claims;
using BlazorChat.Accounts;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
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

    [Fact]
    public async Task Revalidation_WhenTheDatabaseFails_KeepsTheTabSignedInAndLogsIt()
    {
        var sessions = new SignInSessions(_database.Factory, _time);
        var sessionId = await sessions.StartAsync(_userId, CancellationToken.None);
        var logs = new WarningsLogged();
        using var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(logs));
        using var provider = new SessionRevalidatingStateProvider(loggerFactory, sessions);
        var state = new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "hamza"), new Claim(AccountClaims.SessionId, sessionId)], "cookie")));
        await using (var db = await _database.Factory.CreateDbContextAsync())
        {
            var table = db.Model.FindEntityType(typeof(BlazorChat.Data.SignInSession))!.GetTableName();
            var dropTable = "DROP TABLE \"" + table + "\""; // a name from our own model, not input
            await db.Database.ExecuteSqlRawAsync(dropTable);
        }

        var stillSignedIn = await provider.IsStillSignedInAsync(state, CancellationToken.None);

        Assert.True(stillSignedIn);
        Assert.Contains(logs.Exceptions, e => e is Microsoft.Data.Sqlite.SqliteException);
    }

    /// <summary>Keeps the exceptions of the warnings logged through it.</summary>
    private sealed class WarningsLogged : ILoggerProvider, ILogger
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<Exception?> _exceptions = new();

        public IEnumerable<Exception?> Exceptions => _exceptions;

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                _exceptions.Enqueue(exception);
            }
        }

        public void Dispose()
        {
        }
    }
}
