using System.Diagnostics;
using System.Runtime.InteropServices;
using BlazorChat.Files;

namespace BlazorChat.Chat;

/// <summary>
/// Files sent in a chat: the router decides who may send and fetch them (a file belongs to one live chat, and only its
/// two people, in any of their tabs, may fetch it), tells both of them when one arrives, and drops a chat's files when
/// it ends or after <see cref="FilesOptions.MaxAge"/>. The <see cref="FileStore"/> holds the bytes and is told to delete
/// them after the lock is released.
/// </summary>
/// <remarks>
/// Several servers: a file's record (id, chat, sender) is chat state like a message, so it moves with the chat (the
/// conversation's grain); the bytes and the per-file key stay with the instance that took the upload. A download that
/// reaches another instance would look the file up in the chat's state, find the owning instance there, and be
/// forwarded to it (or the ciphertext would go on shared storage and the key in the chat's state).
/// </remarks>
public sealed partial class ChatRouter
{
    private readonly Dictionary<Guid, FileEntry> _files = [];
    private readonly Dictionary<Conversation, List<FileEntry>> _chatFiles = [];
    private readonly Files.FilesOptions _fileOptions;
    private readonly FileStore? _fileStore;

    /// <summary>Largest file a person may send (<see cref="Files.FilesOptions.MaxFileSize"/>).</summary>
    public long MaxFileSize => _fileOptions.MaxFileSize;

    /// <summary>Files one chat may hold (<see cref="Files.FilesOptions.MaxFilesPerChat"/>).</summary>
    public int MaxFilesPerChat => _fileOptions.MaxFilesPerChat;

    /// <summary>
    /// Starts an upload by <paramref name="userName"/> (from the request's signed-in principal) into the chat the tab shows,
    /// <paramref name="conversationId"/>, if that is still their chat and no limit is passed. The name and type are the
    /// browser's; they are cleaned here. The upload is cancelled if the chat ends before it completes.
    /// </summary>
    public UploadStart BeginUpload(string userName, long conversationId, string? name, string? contentType, long? declaredLength)
    {
        if (declaredLength > _fileOptions.MaxFileSize)
        {
            return new UploadStart(UploadStatus.TooLarge);
        }

        var cleanName = FileNames.Clean(name);
        var cleanType = FileNames.CleanType(contentType);
        lock (_lock)
        {
            if (!_users.TryGetValue(userName, out var user) || user.Conversation is not { } conversation || conversation.Id != conversationId)
            {
                return new UploadStart(UploadStatus.NotInChat);
            }

            var perMinute = _fileOptions.MaxUploadsPerMinute;
            if (!user.Uploads.TryTake(_time, perMinute, perMinute / 60.0))
            {
                return new UploadStart(UploadStatus.TooFast);
            }

            ref var files = ref CollectionsMarshal.GetValueRefOrAddDefault(_chatFiles, conversation, out _);
            files ??= [];
            if (files.Count >= _fileOptions.MaxFilesPerChat)
            {
                return new UploadStart(UploadStatus.TooMany);
            }

            var entry = new FileEntry(FileStore.NewId(), conversation, user, cleanName, cleanType);
            _files.Add(entry.Id, entry);
            files.Add(entry);
            return new UploadStart(UploadStatus.Accepted, entry.Id, entry.Cancellation.Token);
        }
    }

    /// <summary>
    /// All of an upload's bytes are stored: both people's tabs are told. Null when its chat has ended meanwhile (the
    /// caller then deletes the bytes).
    /// </summary>
    public SharedFile? CompleteUpload(StoredFile stored)
    {
        lock (_lock)
        {
            if (!_files.TryGetValue(stored.Id, out var entry) || entry.Shared is not null)
            {
                return null;
            }

            var shared = new SharedFile(stored.Id, entry.Sender.Name, entry.Name, stored.Length, entry.ContentType,
                ImageTypes.PreviewType(stored.PreviewType, entry.ContentType), _time.GetUtcNow());
            entry.Shared = shared;
            Interlocked.Increment(ref _filesShared);
            Interlocked.Add(ref _fileBytesShared, stored.Length);
            entry.Expiry = _time.CreateTimer(static state => ((FileExpiry)state!).Fire(), new FileExpiry(this, entry),
                _fileOptions.MaxAge, Timeout.InfiniteTimeSpan);

            // The partner's tabs first: the file is theirs to fetch; the sender's other tabs show it as sent.
            var chatEvent = new FileShared(entry.Conversation.Id, shared);
            PostToUserLocked(entry.Conversation.PartnerOf(entry.Sender), chatEvent);
            PostToUserLocked(entry.Sender, chatEvent);
            return shared;
        }
    }

    /// <summary>An upload ended without a file (cut off, refused, cancelled): it no longer counts against its chat.</summary>
    public void AbandonUpload(Guid fileId)
    {
        lock (_lock)
        {
            if (_files.TryGetValue(fileId, out var entry) && entry.Shared is null)
            {
                ForgetLocked(entry);
            }
        }
    }

    /// <summary>
    /// The file <paramref name="fileId"/> if <paramref name="userName"/> (from the request's signed-in principal) is one of
    /// the two people of its chat and the chat goes on; otherwise null, for a stranger and a missing file alike.
    /// </summary>
    public SharedFile? FindFile(string userName, Guid fileId)
    {
        lock (_lock)
        {
            return _files.TryGetValue(fileId, out var entry) && entry.Shared is { } shared
                && (Names.Equals(userName, entry.Conversation.First.Name) || Names.Equals(userName, entry.Conversation.Second.Name))
                ? shared
                : null;
        }
    }

    /// <summary>The files sent so far in the chat <paramref name="connection"/>'s tab shows, oldest first.</summary>
    public IReadOnlyList<SharedFile> SharedFiles(ChatConnection connection, long conversationId)
    {
        lock (_lock)
        {
            return UserOfLocked(connection)?.Conversation is { } conversation && conversation.Id == conversationId
                && _chatFiles.TryGetValue(conversation, out var files)
                ? [.. files.Where(static f => f.Shared is not null).Select(static f => f.Shared!)]
                : [];
        }
    }

    // The chat ended: its files go. Uploads under way are cancelled (they remove their own bytes); stored files are
    // deleted by the store, after the lock.
    private void RemoveFilesLocked(Conversation conversation, ref Effects effects)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        if (!_chatFiles.Remove(conversation, out var files))
        {
            return;
        }

        var removal = effects.FilesRemoved ??= new FileRemoval(_fileStore);
        foreach (var entry in files)
        {
            _files.Remove(entry.Id);
            entry.Expiry?.Dispose();
            removal.Add(entry);
        }
    }

    private void OnFileExpired(FileEntry entry)
    {
        FileRemoval removal = new(_fileStore);
        lock (_lock)
        {
            if (!_files.TryGetValue(entry.Id, out var filed) || filed != entry)
            {
                return;
            }

            ForgetLocked(entry);
            removal.Add(entry);
            var chatEvent = new FileRemoved(entry.Conversation.Id, entry.Id);
            PostToUserLocked(entry.Conversation.First, chatEvent);
            PostToUserLocked(entry.Conversation.Second, chatEvent);
        }

        removal.Run();
    }

    private void ForgetLocked(FileEntry entry)
    {
        Debug.Assert(_lock.IsHeldByCurrentThread);
        _files.Remove(entry.Id);
        entry.Expiry?.Dispose();
        if (_chatFiles.TryGetValue(entry.Conversation, out var files))
        {
            files.Remove(entry);
        }
    }

    private sealed class FileEntry(Guid id, Conversation conversation, UserState sender, string name, string contentType)
    {
        public Guid Id { get; } = id;

        public Conversation Conversation { get; } = conversation;

        public UserState Sender { get; } = sender;

        public string Name { get; } = name;

        public string ContentType { get; } = contentType;

        /// <summary>Cancelled when the chat ends while the upload is under way.</summary>
        public CancellationTokenSource Cancellation { get; } = new();

        /// <summary>Set once all its bytes are stored; until then it is an upload under way.</summary>
        public SharedFile? Shared { get; set; }

        public ITimer? Expiry { get; set; }
    }

    private sealed record FileExpiry(ChatRouter Router, FileEntry Entry)
    {
        public void Fire() => Router.OnFileExpired(Entry);
    }

    /// <summary>Files dropped under the lock, dealt with after it: uploads under way cancelled, stored bytes deleted.</summary>
    private sealed class FileRemoval(FileStore? store)
    {
        private readonly List<Guid> _stored = [];
        private readonly List<CancellationTokenSource> _uploads = [];

        public void Add(FileEntry entry)
        {
            if (entry.Shared is null)
            {
                _uploads.Add(entry.Cancellation);
            }
            else
            {
                _stored.Add(entry.Id);
                entry.Cancellation.Dispose();
            }
        }

        public void Run()
        {
            foreach (var upload in _uploads)
            {
                upload.Cancel();
            }

            store?.Delete(_stored);
        }
    }
}
