using System.Security.Cryptography;
using BlazorChat.Files;
using BlazorChat.Tests.Accounts;
using Microsoft.Extensions.Logging.Abstractions;

namespace BlazorChat.Tests.Files;

/// <summary>The real store on a temporary folder: what it writes is encrypted, streamed, capped, and gone when it should be.</summary>
public sealed class FileStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "blazorchat-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    internal FileStore NewStore(FilesOptions? options = null) =>
        new(Microsoft.Extensions.Options.Options.Create(options ?? new FilesOptions()), new TestHostEnvironment(_root), NullLogger<FileStore>.Instance);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(FileCipher.ChunkSize - 1)]
    [InlineData(FileCipher.ChunkSize)]
    [InlineData(FileCipher.ChunkSize + 1)]
    [InlineData((3 * FileCipher.ChunkSize) + 17)]
    public async Task WriteAsync_ThenOpenRead_GivesBackTheSameBytes(int length)
    {
        using var store = NewStore();
        var bytes = RandomNumberGenerator.GetBytes(length);

        var stored = await store.WriteAsync(FileStore.NewId(), new MemoryStream(bytes), CancellationToken.None);

        Assert.Equal(length, stored.Length);
        await using var read = store.OpenRead(stored.Id)!;
        Assert.Equal(length, read.Length);
        var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
        Assert.Equal(FileCipher.SealedLength(length), new FileInfo(Directory.GetFiles(store.Folder).Single()).Length);
    }

    [Fact]
    public async Task WriteAsync_WhatIsOnDiskIsNotThePlainBytes()
    {
        using var store = NewStore();
        var bytes = Enumerable.Repeat("a line of text that repeats, "u8.ToArray(), 100).SelectMany(static line => line).ToArray();

        await store.WriteAsync(FileStore.NewId(), new MemoryStream(bytes), CancellationToken.None);

        var onDisk = await File.ReadAllBytesAsync(Directory.GetFiles(store.Folder).Single());
        Assert.Equal(-1, onDisk.AsSpan().IndexOf("a line of text"u8));
    }

    [Fact]
    public async Task OpenRead_SeekIntoTheMiddle_ReadsFromThere()
    {
        using var store = NewStore();
        var bytes = RandomNumberGenerator.GetBytes((2 * FileCipher.ChunkSize) + 100);
        var stored = await store.WriteAsync(FileStore.NewId(), new MemoryStream(bytes), CancellationToken.None);

        await using var read = store.OpenRead(stored.Id)!;
        read.Position = FileCipher.ChunkSize + 5;
        var part = new byte[FileCipher.ChunkSize];
        await read.ReadExactlyAsync(part);

        Assert.Equal(bytes.AsSpan(FileCipher.ChunkSize + 5, FileCipher.ChunkSize).ToArray(), part);
    }

    [Fact]
    public async Task OpenRead_OneByteChangedOnDisk_FailsAuthentication()
    {
        using var store = NewStore();
        var stored = await store.WriteAsync(FileStore.NewId(), new MemoryStream(RandomNumberGenerator.GetBytes(100_000)), CancellationToken.None);
        var path = Directory.GetFiles(store.Folder).Single();
        var onDisk = await File.ReadAllBytesAsync(path);
        onDisk[FileCipher.SealedChunkSize + 10] ^= 1;
        await File.WriteAllBytesAsync(path, onDisk);

        await using var read = store.OpenRead(stored.Id)!;

        await Assert.ThrowsAnyAsync<CryptographicException>(() => read.CopyToAsync(Stream.Null));
    }

    [Fact]
    public async Task OpenRead_LastChunkCutOff_FailsAuthentication()
    {
        using var store = NewStore();
        var stored = await store.WriteAsync(FileStore.NewId(), new MemoryStream(RandomNumberGenerator.GetBytes(3 * FileCipher.ChunkSize)), CancellationToken.None);
        var path = Directory.GetFiles(store.Folder).Single();
        await using (var file = File.OpenWrite(path))
        {
            file.SetLength(2 * FileCipher.SealedChunkSize);
        }

        // Two whole chunks are left, but the second was not written as the last one.
        await using var read = store.OpenRead(stored.Id)!;

        await Assert.ThrowsAnyAsync<CryptographicException>(() => read.CopyToAsync(Stream.Null));
    }

    [Fact]
    public async Task OpenRead_AnotherFilesChunks_FailAuthentication()
    {
        using var store = NewStore();
        var first = await store.WriteAsync(FileStore.NewId(), new MemoryStream(RandomNumberGenerator.GetBytes(1000)), CancellationToken.None);
        var second = await store.WriteAsync(FileStore.NewId(), new MemoryStream(RandomNumberGenerator.GetBytes(1000)), CancellationToken.None);
        File.Copy(Path.Combine(store.Folder, first.Id.ToString("N") + ".sealed"), Path.Combine(store.Folder, second.Id.ToString("N") + ".sealed"), overwrite: true);

        await using var read = store.OpenRead(second.Id)!;

        await Assert.ThrowsAnyAsync<CryptographicException>(() => read.CopyToAsync(Stream.Null));
    }

    [Fact]
    public async Task WriteAsync_LongerThanMaxFileSize_IsRefusedAndLeavesNothing()
    {
        using var store = NewStore(new FilesOptions { MaxFileSize = 100_000 });

        var refused = await Assert.ThrowsAsync<FileRefusedException>(() =>
            store.WriteAsync(FileStore.NewId(), new MemoryStream(new byte[100_001]), CancellationToken.None));

        Assert.Equal(FileRefusal.TooLarge, refused.Reason);
        Assert.Empty(Directory.GetFiles(store.Folder));
        Assert.Equal(0, store.UsedBytes);
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task WriteAsync_ExactlyMaxFileSize_IsStored()
    {
        using var store = NewStore(new FilesOptions { MaxFileSize = 100_000 });

        var stored = await store.WriteAsync(FileStore.NewId(), new MemoryStream(new byte[100_000]), CancellationToken.None);

        Assert.Equal(100_000, stored.Length);
    }

    [Fact]
    public async Task WriteAsync_PastMaxStorage_IsRefusedAndKeepsTheFilesBefore()
    {
        using var store = NewStore(new FilesOptions { MaxStorage = 1024 * 1024 });
        var kept = await store.WriteAsync(FileStore.NewId(), new MemoryStream(new byte[600_000]), CancellationToken.None);

        var refused = await Assert.ThrowsAsync<FileRefusedException>(() =>
            store.WriteAsync(FileStore.NewId(), new MemoryStream(new byte[600_000]), CancellationToken.None));

        Assert.Equal(FileRefusal.StorageFull, refused.Reason);
        Assert.Equal(FileCipher.SealedLength(600_000), store.UsedBytes);
        Assert.Single(Directory.GetFiles(store.Folder));
        Assert.NotNull(store.OpenRead(kept.Id));
    }

    [Fact]
    public async Task WriteAsync_CancelledHalfway_LeavesNothing()
    {
        using var store = NewStore();
        using var cancel = new CancellationTokenSource();
        var source = new SlowSource(chunksBeforeWaiting: 3);

        var writing = store.WriteAsync(FileStore.NewId(), source, cancel.Token);
        await source.Waiting.Task;
        Assert.NotEmpty(Directory.GetFiles(store.Folder));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writing);
        Assert.Empty(Directory.GetFiles(store.Folder));
        Assert.Equal(0, store.UsedBytes);
    }

    [Fact]
    public async Task WriteAsync_ConnectionCutHalfway_LeavesNothing()
    {
        using var store = NewStore();

        await Assert.ThrowsAsync<IOException>(() => store.WriteAsync(FileStore.NewId(), new SlowSource(chunksBeforeWaiting: 3, fail: true), CancellationToken.None));

        Assert.Empty(Directory.GetFiles(store.Folder));
        Assert.Equal(0, store.UsedBytes);
    }

    [Fact]
    public async Task Delete_RemovesTheBytesAndTheirCount()
    {
        using var store = NewStore();
        var stored = await store.WriteAsync(FileStore.NewId(), new MemoryStream(new byte[5000]), CancellationToken.None);

        store.Delete([stored.Id]);

        Assert.Empty(Directory.GetFiles(store.Folder));
        Assert.Equal(0, store.UsedBytes);
        Assert.Null(store.OpenRead(stored.Id));
    }

    [Fact]
    public async Task StartAsync_WipesWhatAnEarlierProcessLeft()
    {
        using (var earlier = NewStore())
        {
            await earlier.WriteAsync(FileStore.NewId(), new MemoryStream(new byte[5000]), CancellationToken.None);
        }

        var folder = NewStore().Folder;
        var unrelated = Path.Combine(folder, "README.txt");
        await File.WriteAllTextAsync(unrelated, "not ours");
        using var store = NewStore();

        await store.StartAsync(CancellationToken.None);

        Assert.Equal([unrelated], Directory.GetFiles(store.Folder));
    }

    [Fact]
    public async Task WriteAsync_RasterImageBytes_AreSniffed()
    {
        using var store = NewStore();

        var png = await store.WriteAsync(FileStore.NewId(), new MemoryStream(TestImages.Png), CancellationToken.None);
        var svg = await store.WriteAsync(FileStore.NewId(), new MemoryStream(TestImages.ScriptedSvg), CancellationToken.None);

        Assert.Equal(ImageTypes.Png, png.PreviewType);
        Assert.Null(svg.PreviewType);
    }

    /// <summary>Gives whole chunks, then waits for cancellation (or fails, like a cut connection).</summary>
    private sealed class SlowSource(int chunksBeforeWaiting, bool fail = false) : Stream
    {
        private int _given;

        public TaskCompletionSource Waiting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_given++ < chunksBeforeWaiting * 4)
            {
                var count = Math.Min(buffer.Length, FileCipher.ChunkSize / 4);
                buffer.Span[..count].Fill(7);
                return count;
            }

            if (fail)
            {
                throw new IOException("The connection was reset.");
            }

            Waiting.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
