using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace BlazorChat.Files;

/// <summary>
/// A stored file's plain bytes, read-only and seekable: each read decrypts (and authenticates) the chunk it falls in,
/// so a range request costs the chunks it touches, and memory is one chunk whatever the file's size.
/// </summary>
internal sealed class DecryptingStream : Stream
{
    private readonly SafeFileHandle _handle;
    private readonly AesGcm _aes;
    private readonly byte[] _associated;
    private readonly byte[] _sealed = new byte[FileCipher.SealedChunkSize];
    private readonly byte[] _plain = new byte[FileCipher.ChunkSize];
    private readonly byte[] _nonce = new byte[FileCipher.NonceSize];
    private readonly long _sealedLength;
    private readonly long _chunks;
    private long _cachedChunk = -1;
    private int _cachedLength;
    private long _position;

    public DecryptingStream(SafeFileHandle handle, byte[] key, Guid id)
    {
        _handle = handle;
        _aes = new AesGcm(key, FileCipher.TagSize);
        CryptographicOperations.ZeroMemory(key);
        _associated = id.ToByteArray();
        _sealedLength = RandomAccess.GetLength(handle);
        Length = FileCipher.PlainLength(_sealedLength);
        if (Length < 0)
        {
            // No file encrypts to this length: it was cut or padded.
            Dispose();
            throw new AuthenticationTagMismatchException("The stored file has been cut or extended.");
        }

        _chunks = FileCipher.ChunkCount(Length);
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length { get; }

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (!Prepare(out var chunk))
        {
            return 0;
        }

        if (chunk != _cachedChunk)
        {
            var read = RandomAccess.Read(_handle, _sealed.AsSpan(0, SealedLengthOf(chunk)), chunk * FileCipher.SealedChunkSize);
            Decrypt(chunk, read);
        }

        return CopyOut(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!Prepare(out var chunk))
        {
            return 0;
        }

        if (chunk != _cachedChunk)
        {
            var read = await RandomAccess.ReadAsync(_handle, _sealed.AsMemory(0, SealedLengthOf(chunk)), chunk * FileCipher.SealedChunkSize, cancellationToken)
                .ConfigureAwait(false);
            Decrypt(chunk, read);
        }

        return CopyOut(buffer.Span);
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => Length + offset,
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _aes.Dispose();
            _handle.Dispose();
            CryptographicOperations.ZeroMemory(_plain);
        }

        base.Dispose(disposing);
    }

    private bool Prepare(out long chunk)
    {
        chunk = _position / FileCipher.ChunkSize;
        return _position < Length;
    }

    private int SealedLengthOf(long chunk) =>
        (int)Math.Min(FileCipher.SealedChunkSize, _sealedLength - (chunk * FileCipher.SealedChunkSize));

    private void Decrypt(long chunk, int read)
    {
        if (read != SealedLengthOf(chunk))
        {
            throw new AuthenticationTagMismatchException("The stored file is shorter than it was.");
        }

        var plainLength = read - FileCipher.TagSize;
        FileCipher.Nonce(_nonce, chunk, last: chunk == _chunks - 1);
        _cachedChunk = -1;
        _aes.Decrypt(_nonce, _sealed.AsSpan(0, plainLength), _sealed.AsSpan(plainLength, FileCipher.TagSize), _plain.AsSpan(0, plainLength), _associated);
        _cachedChunk = chunk;
        _cachedLength = plainLength;
    }

    private int CopyOut(Span<byte> buffer)
    {
        var within = (int)(_position - (_cachedChunk * FileCipher.ChunkSize));
        var count = Math.Min(buffer.Length, _cachedLength - within);
        _plain.AsSpan(within, count).CopyTo(buffer);
        _position += count;
        return count;
    }
}
