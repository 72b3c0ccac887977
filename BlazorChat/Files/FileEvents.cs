using BlazorChat.Chat;

namespace BlazorChat.Files;

/// <summary>
/// A file someone in the chat sent, as both of them see it (name and type already cleaned). PreviewType is the raster
/// image type its bytes begin with and it was declared as; null: no preview.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SharedFile(Guid Id, string Sender, string Name, long Size, string ContentType, string? PreviewType, DateTimeOffset SentAt);

/// <summary>A file was sent in this user's chat (told to both people's tabs once all its bytes are stored).</summary>
[GenerateSerializer, Immutable]
public sealed record FileShared(long ConversationId, SharedFile File) : ChatEvent;

/// <summary>A file of this user's chat is gone (kept for <see cref="FilesOptions.MaxAge"/>): its card says so.</summary>
[GenerateSerializer, Immutable]
public sealed record FileRemoved(long ConversationId, Guid FileId) : ChatEvent;

/// <summary>Whether an upload may start, and if so its file id and what cancels it (the chat ending).</summary>
public readonly record struct UploadStart(UploadStatus Status, Guid FileId = default, CancellationToken Cancelled = default);

[GenerateSerializer]
public enum UploadStatus
{
    Accepted,

    /// <summary>The person is not in the chat named (it ended, or never was theirs).</summary>
    NotInChat,
    TooLarge,
    TooMany,
    TooFast,
}
