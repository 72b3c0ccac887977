using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;

namespace BlazorChat.Files;

/// <summary>
/// Owns the bytes of sent files: each one encrypted (<see cref="FileCipher"/>) under <see cref="FilesOptions.Path"/>, in a
/// file named by its random id, never by anything the browser sent. Reads and writes stream one chunk at a time; a whole
/// file is never in memory. The master key is made at start and never written down, so what a crash or a copied disk
/// leaves is unreadable, and the folder is emptied of such left-overs at start. Who may send or fetch a file is the
/// router's decision, not the store's.
/// </summary>
public sealed partial class FileStore : IHostedService, IDisposable
{
    private const string Extension = ".sealed";
    private const int WriteBatch = 16;

    private readonly byte[] _masterKey = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<Guid, long> _sizes = new();
    private readonly FilesOptions _options;
    private readonly ILogger<FileStore> _logger;
    private long _usedBytes;
    private long _reads;

    public FileStore(IOptions<FilesOptions> options, IHostEnvironment environment, ILogger<FileStore> logger)
    {
        _options = options.Value;
        _logger = logger;
        Folder = System.IO.Path.GetFullPath(System.IO.Path.Combine(environment.ContentRootPath, _options.Path));
        Directory.CreateDirectory(Folder);
    }

    /// <summary>The folder the encrypted files are in.</summary>
    public string Folder { get; }

    /// <summary>Bytes the stored files (and uploads under way) take on disk.</summary>
    public long UsedBytes => Interlocked.Read(ref _usedBytes);

    /// <summary>Files on disk (complete or being written).</summary>
    public int Count => _sizes.Count;

    public long MaxFileSize => _options.MaxFileSize;

    /// <summary>Files opened for reading (downloads and previews) since start.</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>Empties the folder of left-over files: nothing can read them without the previous process's key.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        WipeLeftovers();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal void WipeLeftovers()
    {
        Directory.CreateDirectory(Folder);
        var wiped = 0;
        foreach (var path in Directory.EnumerateFiles(Folder, "*" + Extension))
        {
            if (Guid.TryParseExact(System.IO.Path.GetFileNameWithoutExtension(path), "N", out var id) && !_sizes.ContainsKey(id))
            {
                File.Delete(path);
                wiped++;
            }
        }

        if (wiped > 0)
        {
            Log.Wiped(_logger, wiped, Folder);
        }
    }

    /// <summary>A new random file id (122 random bits from the system's secure generator).</summary>
    public static Guid NewId() => Guid.NewGuid();

    /// <summary>
    /// Encrypts <paramref name="source"/> to disk as file <paramref name="id"/>, reading it to its end, and returns what
    /// was stored. A source longer than <see cref="FilesOptions.MaxFileSize"/> throws <see cref="FileRefusedException"/>
    /// (<see cref="FileRefusal.TooLarge"/>), as does one that would take the server past <see cref="FilesOptions.MaxStorage"/>
    /// (<see cref="FileRefusal.StorageFull"/>). Whatever ends the write early (a refusal, a cut connection, cancellation)
    /// removes every byte written.
    /// </summary>
    public async Task<StoredFile> WriteAsync(Guid id, Stream source, CancellationToken cancellationToken)
    {
        var path = PathOf(id);
        if (!_sizes.TryAdd(id, 0))
        {
            throw new InvalidOperationException($"File {id} is already stored.");
        }

        var reserved = 0L;
        var completed = false;
        var plain = new byte[FileCipher.ChunkSize];
        var next = new byte[FileCipher.ChunkSize];
        // Sealed chunks are gathered and written 16 at a time (1 MiB): fewer, larger writes.
        var batch = new byte[FileCipher.SealedChunkSize * WriteBatch];
        var batched = 0;
        var nonce = new byte[FileCipher.NonceSize];
        var associated = id.ToByteArray();
        try
        {
            using var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.Asynchronous);
            using var aes = new AesGcm(FileCipher.DeriveKey(_masterKey, id), FileCipher.TagSize);
            var length = 0L;
            var offset = 0L;
            string? previewType = null;

            // One chunk is held back until the next read shows whether it is the last.
            var filled = await source.ReadAtLeastAsync(plain, plain.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            for (var chunk = 0L; ; chunk++)
            {
                var nextFilled = filled == plain.Length
                    ? await source.ReadAtLeastAsync(next, next.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false)
                    : 0;
                var last = nextFilled == 0;
                length += filled;
                if (length > _options.MaxFileSize)
                {
                    throw new FileRefusedException(FileRefusal.TooLarge);
                }

                if (chunk == 0)
                {
                    previewType = ImageTypes.Sniff(plain.AsSpan(0, filled));
                }

                var sealedLength = filled + FileCipher.TagSize;
                Reserve(id, sealedLength);
                reserved += sealedLength;
                FileCipher.Nonce(nonce, chunk, last);
                var sealedChunk = batch.AsSpan(batched, sealedLength);
                aes.Encrypt(nonce, plain.AsSpan(0, filled), sealedChunk[..filled], sealedChunk[filled..], associated);
                batched += sealedLength;
                if (last || batched == batch.Length)
                {
                    await RandomAccess.WriteAsync(handle, batch.AsMemory(0, batched), offset, cancellationToken).ConfigureAwait(false);
                    offset += batched;
                    batched = 0;
                }

                if (last)
                {
                    completed = true;
                    return new StoredFile(id, length, previewType);
                }

                (plain, next) = (next, plain);
                filled = nextFilled;
            }
        }
        finally
        {
            if (!completed)
            {
                TryDeleteFile(path);
                _sizes.TryRemove(id, out _);
                Interlocked.Add(ref _usedBytes, -reserved);
            }
        }
    }

    /// <summary>
    /// Opens file <paramref name="id"/> for reading: a seekable stream of its plain bytes, decrypted one chunk at a time
    /// (so range requests work). A chunk that does not authenticate throws <see cref="AuthenticationTagMismatchException"/>.
    /// Null when there is no such file.
    /// </summary>
    public Stream? OpenRead(Guid id)
    {
        if (!_sizes.ContainsKey(id))
        {
            return null;
        }

        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(PathOf(id), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, FileOptions.Asynchronous);
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        Interlocked.Increment(ref _reads);
        return new DecryptingStream(handle, FileCipher.DeriveKey(_masterKey, id), id);
    }

    /// <summary>Removes the files' bytes, if there are any. A download already under way may finish what it has open.</summary>
    public void Delete(IEnumerable<Guid> ids)
    {
        foreach (var id in ids)
        {
            if (_sizes.TryRemove(id, out var size))
            {
                TryDeleteFile(PathOf(id));
                Interlocked.Add(ref _usedBytes, -size);
            }
        }
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_masterKey);

    // Counts the bytes before they are written, so uploads at once cannot take the server past its cap together.
    private void Reserve(Guid id, long bytes)
    {
        if (Interlocked.Add(ref _usedBytes, bytes) > _options.MaxStorage)
        {
            Interlocked.Add(ref _usedBytes, -bytes);
            throw new FileRefusedException(FileRefusal.StorageFull);
        }

        _sizes.AddOrUpdate(id, bytes, (_, size) => size + bytes);
    }

    private string PathOf(Guid id) => System.IO.Path.Combine(Folder, id.ToString("N") + Extension);

    private void TryDeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException ex)
        {
            Log.DeleteFailed(_logger, ex, path);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Wiped {Count} left-over files from {Folder}")]
        public static partial void Wiped(ILogger logger, int count, string folder);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete {Path}")]
        public static partial void DeleteFailed(ILogger logger, Exception exception, string path);
    }
}

/// <summary>A file the store holds: its id, its length, and the raster image type its bytes begin with (null: none).</summary>
public sealed record StoredFile(Guid Id, long Length, string? PreviewType);

public enum FileRefusal
{
    TooLarge,
    TooMany,
    TooFast,
    StorageFull,
}

/// <summary>An upload a limit stopped; its partial bytes are already gone.</summary>
public sealed class FileRefusedException(FileRefusal reason) : Exception($"The file was refused: {reason}.")
{
    public FileRefusal Reason { get; } = reason;
}
