using BlazorChat.Chat;

namespace BlazorChat.Tests.Chat;

/// <summary>Records what one connection is told, and lets a test wait until a given event has arrived.</summary>
public sealed class EventRecorder
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    private readonly Lock _lock = new();
    private readonly List<ChatEvent> _events = [];
    private readonly List<(Func<ChatEvent, bool> Match, TaskCompletionSource<ChatEvent> Done)> _waiters = [];

    public IReadOnlyList<ChatEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>How many events have arrived so far: pass it to <see cref="WaitForAsync"/> as <c>since</c> to wait for a later one.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _events.Count;
            }
        }
    }

    public IReadOnlyList<ChatMessage> Messages => [.. Events.OfType<MessageReceived>().Select(e => e.Message)];

    public Task Handle(ChatEvent chatEvent)
    {
        List<TaskCompletionSource<ChatEvent>> done = [];
        lock (_lock)
        {
            _events.Add(chatEvent);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(chatEvent))
                {
                    done.Add(_waiters[i].Done);
                    _waiters.RemoveAt(i);
                }
            }
        }

        foreach (var waiter in done)
        {
            waiter.TrySetResult(chatEvent);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Waits for the first event of type <typeparamref name="T"/> (already received or still to come) that matches,
    /// among those after the first <paramref name="since"/> (see <see cref="Count"/>).
    /// </summary>
    public async Task<T> WaitForAsync<T>(Func<T, bool>? match = null, TimeSpan? timeout = null, int since = 0)
        where T : ChatEvent
    {
        bool Matches(ChatEvent e) => e is T typed && (match is null || match(typed));
        TaskCompletionSource<ChatEvent> done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            var existing = _events.Skip(since).FirstOrDefault(Matches);
            if (existing is not null)
            {
                return (T)existing;
            }

            _waiters.Add((Matches, done));
        }

        var found = await done.Task.WaitAsync(timeout ?? DefaultTimeout);
        return (T)found;
    }

    /// <summary>Waits until at least <paramref name="count"/> messages have arrived.</summary>
    public async Task<IReadOnlyList<ChatMessage>> WaitForMessagesAsync(int count, TimeSpan? timeout = null)
    {
        await WaitForAsync<MessageReceived>(_ => MessageCount() >= count, timeout);
        return Messages;
    }

    private int MessageCount()
    {
        lock (_lock)
        {
            return _events.Count(e => e is MessageReceived);
        }
    }
}
