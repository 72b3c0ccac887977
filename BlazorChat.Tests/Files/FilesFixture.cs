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

    private readonly RouterFixture _chat;

    public FilesFixture(FilesOptions? files = null)
    {
        Files = files ?? new FilesOptions { MaxUploadsPerMinute = 0 };
        Store = new FileStore(Microsoft.Extensions.Options.Options.Create(Files), new TestHostEnvironment(_root), NullLogger<FileStore>.Instance);
        Store.WipeLeftovers();
        _chat = new RouterFixture(fileOptions: Files, fileStore: Store);
    }

    public FilesOptions Files { get; }

    public TestClock Time => _chat.Time;

    public FileStore Store { get; }

    public ChatRouter Router => _chat.Router;

    public (ChatConnection Connection, EventRecorder Events) Connect(string user) => _chat.Connect(user);

    public Task<Pair> PairAsync(string first, string second) => _chat.PairAsync(first, second);

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
