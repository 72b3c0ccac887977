using System.Diagnostics.Metrics;
using BlazorChat.Accounts;
using BlazorChat.Chat;
using BlazorChat.Files;
using BlazorChat.Tests.Accounts;
using BlazorChat.Tests.Chat;
using Microsoft.Extensions.Logging.Abstractions;

namespace BlazorChat.Tests.Files;

/// <summary>A real ChatRouter with a real FileStore on a temporary folder, time under the test's control.</summary>
public sealed class FilesFixture : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "blazorchat-tests", Guid.NewGuid().ToString("N"));

    public FilesFixture(FilesOptions? files = null)
    {
        Files = files ?? new FilesOptions { MaxUploadsPerMinute = 0 };
        var options = Microsoft.Extensions.Options.Options.Create(Files);
        Store = new FileStore(options, new TestHostEnvironment(_root), NullLogger<FileStore>.Instance);
        Store.WipeLeftovers();
        var chat = new ChatOptions
        {
            LeaveGrace = TimeSpan.Zero,
            ReconnectGrace = TimeSpan.Zero,
            MaxMessagesPerSecond = 0,
            MaxPicksPerMinute = 0,
            MaxTabsPerUser = 1000,
            PeopleRefreshInterval = TimeSpan.Zero,
        };
        Router = new ChatRouter(
            new AccountDirectory(RouterFixture.DefaultUsers), Microsoft.Extensions.Options.Options.Create(chat), Time,
            new ChatMetrics(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>()),
            NullLogger<ChatRouter>.Instance, options, Store);
    }

    public FilesOptions Files { get; }

    public TestClock Time { get; } = new(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));

    public FileStore Store { get; }

    public ChatRouter Router { get; }

    public (ChatConnection Connection, EventRecorder Events) Connect(string user)
    {
        var recorder = new EventRecorder();
        return (Router.Connect(user, recorder.Handle), recorder);
    }

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

    /// <summary>Sends <paramref name="bytes"/> from <paramref name="sender"/> as the upload endpoint does; returns the file.</summary>
    public async Task<SharedFile> SendAsync(string sender, long conversationId, byte[] bytes, string name = "notes.txt", string type = "text/plain")
    {
        var start = Router.BeginUpload(sender, conversationId, name, type, bytes.Length);
        Assert.Equal(UploadStatus.Accepted, start.Status);
        var stored = await Store.WriteAsync(start.FileId, new MemoryStream(bytes), start.Cancelled);
        return Router.CompleteUpload(stored) ?? throw new InvalidOperationException("The chat ended before the file was stored.");
    }

    public void Dispose()
    {
        Store.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
