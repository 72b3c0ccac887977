using System.Diagnostics.Metrics;
using BlazorChat.Accounts;
using BlazorChat.Chat;
using BlazorChat.Cluster;
using BlazorChat.Tests.Cluster;
using Microsoft.Extensions.Logging.Abstractions;

namespace BlazorChat.Tests.Chat;

/// <summary>A real ChatRouter over a fixed set of accounts, with time under the test's control.</summary>
public sealed class RouterFixture
{
    public static readonly string[] DefaultUsers = ["hamza", "karam", "hira", "rushna", "hassaan", "zara"];

    public RouterFixture(
        ChatOptions? options = null, IEnumerable<string>? users = null, BlazorChat.Calls.CallOptions? callOptions = null,
        BlazorChat.Files.FilesOptions? fileOptions = null, BlazorChat.Files.FileStore? fileStore = null)
    {
        // Tests send, pick and open tabs in bursts on a frozen clock, so the limits are off unless a test asks for them,
        // and every status change redraws the people list at once.
        Options = options ?? new ChatOptions
        {
            LeaveGrace = TimeSpan.Zero,
            ReconnectGrace = TimeSpan.Zero,
            MaxMessagesPerSecond = 0,
            MaxPicksPerMinute = 0,
            MaxTabsPerUser = 1000,
            PeopleRefreshInterval = TimeSpan.Zero,
        };
        Accounts = new AccountDirectory(users ?? DefaultUsers);
        Metrics = new ChatMetrics(MeterFactory);
        Router = new ChatRouter(Accounts, Microsoft.Extensions.Options.Options.Create(Options), Time, Metrics, NullLogger<ChatRouter>.Instance,
            fileOptions is null ? null : Microsoft.Extensions.Options.Options.Create(fileOptions), fileStore,
            Microsoft.Extensions.Options.Options.Create(callOptions ?? new BlazorChat.Calls.CallOptions()));
    }

    /// <summary>This router's own meter factory: a test listening to <see cref="Metrics"/> hears no other router.</summary>
    public IMeterFactory MeterFactory { get; } = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    public ChatMetrics Metrics { get; }

    public TestClock Time { get; } = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));

    public ChatOptions Options { get; }

    public AccountDirectory Accounts { get; }

    public ChatRouter Router { get; }

    /// <summary>This router in a lobby of its own on the tests' Orleans silo: what a page's tab joins through.</summary>
    public ChatSilo Silo => _silo ??= TestSilo.Open(Router);

    private ChatSilo? _silo;

    /// <summary>Opens a tab as a page does, through the silo and the lobby.</summary>
    public async Task<(ChatTab Tab, EventRecorder Events)> JoinAsync(string user, string? sessionId = null)
    {
        var recorder = new EventRecorder();
        var joined = await Silo.JoinAsync(user, recorder.Handle, sessionId, clientAddress: null);
        return (joined.Tab ?? throw new InvalidOperationException($"Refused: {joined.Status}"), recorder);
    }

    /// <summary>Pairs a tab for each, opened as pages open them, waiting until both have been told.</summary>
    public async Task<TabPair> PairTabsAsync(string first, string second)
    {
        var a = await JoinAsync(first);
        var b = await JoinAsync(second);
        Assert.Equal(PickResult.Waiting, await a.Tab.PickAsync(second));
        Assert.Equal(PickResult.Paired, await b.Tab.PickAsync(first));
        var started = await a.Events.WaitForAsync<ChatStarted>();
        await b.Events.WaitForAsync<ChatStarted>();
        return new TabPair(a.Tab, a.Events, b.Tab, b.Events, started.ConversationId);
    }

    /// <summary>Pairs a page's tab for <paramref name="first"/> with a router connection for <paramref name="second"/>.</summary>
    public async Task<PagePair> PairPageAsync(string first, string second)
    {
        var a = await JoinAsync(first);
        var b = Connect(second);
        Assert.Equal(PickResult.Waiting, await a.Tab.PickAsync(second));
        Assert.Equal(PickResult.Paired, b.Connection.Pick(first));
        var started = await a.Events.WaitForAsync<ChatStarted>();
        await b.Events.WaitForAsync<ChatStarted>();
        return new PagePair(a.Tab, a.Events, b.Connection, b.Events, started.ConversationId);
    }

    /// <summary>The pair's B ends their chat, and its A is then paired with <paramref name="next"/>.</summary>
    public async Task<(ChatConnection Connection, EventRecorder Events, long ConversationId)> EndAndPairAgainAsync(PagePair pair, string next)
    {
        var (connection, events) = Connect(next);
        Assert.True(pair.B.End());
        Assert.Equal(PickResult.Waiting, connection.Pick(pair.A.UserName));
        Assert.Equal(PickResult.Paired, await pair.A.PickAsync(next));
        var started = await events.WaitForAsync<ChatStarted>();
        return (connection, events, started.ConversationId);
    }

    public (ChatConnection Connection, EventRecorder Events) Connect(string user, string? sessionId = null)
    {
        var recorder = new EventRecorder();
        return (Router.Connect(user, recorder.Handle, sessionId), recorder);
    }

    /// <summary>
    /// Waits until everything posted to <paramref name="connection"/> has been handled, so that the next change's
    /// people-list notice is its own (a notice posted while another still waits is merged into it).
    /// </summary>
    public static async Task UntilIdleAsync(ChatConnection connection)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!connection.IsIdle)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"{connection.UserName}'s tab still had events to handle after 10 s");
            await Task.Delay(1);
        }
    }

    /// <summary>
    /// Waits (up to 10 s) until <paramref name="condition"/> holds: for what a tab tells the lobby in the background,
    /// as a closing tab does.
    /// </summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"after 10 s, still not: {what}");
            await Task.Delay(1);
        }
    }

    /// <summary>Waits (up to 10 s) until <paramref name="condition"/> answers true.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"after 10 s, still not: {what}");
            await Task.Delay(1);
        }
    }

    /// <summary>Connects both users and pairs them, waiting until both have been told.</summary>
    public async Task<Pair> PairAsync(string first, string second)
    {
        var a = Connect(first);
        var b = Connect(second);
        Assert.Equal(PickResult.Waiting, a.Connection.Pick(second));
        Assert.Equal(PickResult.Paired, b.Connection.Pick(first));
        var started = await a.Events.WaitForAsync<ChatStarted>();
        await b.Events.WaitForAsync<ChatStarted>();
        return new Pair(a.Connection, a.Events, b.Connection, b.Events, started.ConversationId);
    }

    /// <summary>
    /// The pair's B ends their chat, and its A is then paired with <paramref name="next"/>: what a tab still showing
    /// the ended chat meets. Returns <paramref name="next"/>'s connection and the new chat.
    /// </summary>
    public async Task<(ChatConnection Connection, EventRecorder Events, long ConversationId)> EndAndPairAgainAsync(Pair pair, string next)
    {
        var (connection, events) = Connect(next);
        Assert.True(pair.B.End());
        Assert.Equal(PickResult.Waiting, connection.Pick(pair.A.UserName));
        Assert.Equal(PickResult.Paired, pair.A.Pick(next));
        var started = await events.WaitForAsync<ChatStarted>();
        return (connection, events, started.ConversationId);
    }
}

public sealed record Pair(ChatConnection A, EventRecorder AEvents, ChatConnection B, EventRecorder BEvents, long ConversationId);

/// <summary>A chat between two tabs opened as pages open them.</summary>
public sealed record TabPair(ChatTab A, EventRecorder AEvents, ChatTab B, EventRecorder BEvents, long ConversationId);

/// <summary>A chat between a page's tab (<see cref="A"/>) and a router connection (<see cref="B"/>).</summary>
public sealed record PagePair(ChatTab A, EventRecorder AEvents, ChatConnection B, EventRecorder BEvents, long ConversationId);
