namespace BlazorChat.Chat;

/// <summary>Running totals for metrics, read without the lock.</summary>
public sealed partial class ChatRouter
{
    private long _messagesDelivered;
    private long _callsStarted;
    private long _callsAnswered;
    private long _filesShared;
    private long _fileBytesShared;

    /// <summary>Messages delivered since start (refused sends not counted).</summary>
    public long MessagesDelivered => Interlocked.Read(ref _messagesDelivered);

    /// <summary>Calls placed since start (each rang; a glare that joined the partner's call is not a second call).</summary>
    public long CallsStarted => Interlocked.Read(ref _callsStarted);

    /// <summary>Calls answered since start.</summary>
    public long CallsAnswered => Interlocked.Read(ref _callsAnswered);

    /// <summary>Files whose upload completed and that both people were shown, since start.</summary>
    public long FilesShared => Interlocked.Read(ref _filesShared);

    /// <summary>The bytes of <see cref="FilesShared"/>.</summary>
    public long FileBytesShared => Interlocked.Read(ref _fileBytesShared);

    /// <summary>Calls now ringing and now in progress (answered), read together under the lock.</summary>
    public (int Ringing, int InProgress) GetCallCounts()
    {
        lock (_lock)
        {
            int ringing = 0, inProgress = 0;
            foreach (var calls in _calls.Values)
            {
                if (calls.Current is { } call)
                {
                    if (call.Ringing)
                    {
                        ringing++;
                    }
                    else
                    {
                        inProgress++;
                    }
                }
            }

            return (ringing, inProgress);
        }
    }
}
