using System.Buffers.Binary;
using System.Security.Cryptography;

namespace BlazorChat.Files;

/// <summary>
/// How a file is encrypted at rest: AES-GCM over 64 KiB chunks (the STREAM construction). Each chunk's nonce is its
/// number followed by a flag that is 1 only on the last chunk, and the file's id is the associated data, so a chunk
/// moved, dropped, cut off or copied from another file fails authentication, and any chunk can be read alone (ranges).
/// Each file's key is derived from a master key that lives only in this process's memory.
/// </summary>
internal static class FileCipher
{
    public const int ChunkSize = 64 * 1024;
    public const int TagSize = 16;
    public const int NonceSize = 12;
    public const int SealedChunkSize = ChunkSize + TagSize;

    /// <summary>A file's own key: HKDF-SHA256 of the master key with the file id as its info.</summary>
    public static byte[] DeriveKey(ReadOnlySpan<byte> masterKey, Guid fileId)
    {
        Span<byte> info = stackalloc byte[16];
        fileId.TryWriteBytes(info);
        var key = new byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, key, salt: [], info);
        return key;
    }

    public static void Nonce(Span<byte> nonce, long chunk, bool last)
    {
        nonce.Clear();
        BinaryPrimitives.WriteInt64BigEndian(nonce[3..11], chunk);
        nonce[11] = last ? (byte)1 : (byte)0;
    }

    /// <summary>Chunks a file of <paramref name="plainLength"/> bytes takes (an empty file is one empty chunk).</summary>
    public static long ChunkCount(long plainLength) => plainLength == 0 ? 1 : ((plainLength - 1) / ChunkSize) + 1;

    /// <summary>Bytes on disk for a file of <paramref name="plainLength"/> bytes.</summary>
    public static long SealedLength(long plainLength) => plainLength + (ChunkCount(plainLength) * TagSize);

    /// <summary>The file's length from its length on disk, or -1 when no file encrypts to that length.</summary>
    public static long PlainLength(long sealedLength)
    {
        if (sealedLength < TagSize)
        {
            return -1;
        }

        var chunks = ((sealedLength - 1) / SealedChunkSize) + 1;
        var plain = sealedLength - (chunks * TagSize);
        return plain >= 0 && ChunkCount(plain) == chunks ? plain : -1;
    }
}
