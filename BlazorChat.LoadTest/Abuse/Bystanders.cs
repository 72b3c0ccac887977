using BlazorChat.LoadTest.Chat;
using BlazorChat.LoadTest.Protocol;

namespace BlazorChat.LoadTest.Abuse;

/// <summary>What the bystander pair saw during one phase.</summary>
public sealed record BystanderFigures(LatencySummary Latency, int Sent, int Delivered, string? Failure)
{
    public override string ToString() =>
        (Latency.Count == 0 ? $"no messages delivered ({Sent} sent)"
            : FormattableString.Invariant($"p50 {Latency.P50:0.0} / p99 {Latency.P99:0.0} ms ({Delivered}/{Sent} delivered)"))
        + (Failure is null ? "" : $"; a page failed: {Failure}");
}

/// <summary>
/// An unrelated pair that chats at a steady rate for the whole run, taking turns, without waiting for replies
/// (each send is on a schedule), so a slow server shows as latency. Their figures are cut into phases.
/// </summary>
public sealed class Bystanders(ChatPerson first, ChatPerson second, TimeSpan interval, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private LatencyRecorder _latencies = new();
    private int _sent;
    private int _delivered;
    private string? _failure;
    private int _reloads;

    /// <summary>Sends until cancelled; a failure of their pages is recorded, not thrown, and the pages reopened.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        foreach (var person in (ChatPerson[])[first, second])
        {
            person.MessageReceived = message =>
            {
                lock (_lock)
                {
                    _latencies.Record(message.Latency(_time));
                    _delivered++;
                }
            };
        }

        var next = _time.GetTimestamp();
        try
        {
            for (var sequence = 1; !cancellationToken.IsCancellationRequested; sequence++)
            {
                var sender = sequence % 2 == 1 ? first : second;
                await sender.SendAsync(sequence, "bystander", cancellationToken);
                lock (_lock)
                {
                    _sent++;
                }

                // On a schedule: a send that took long is not made up for by sending faster.
                next += (long)(interval.TotalSeconds * _time.TimestampFrequency);
                var wait = _time.GetElapsedTime(_time.GetTimestamp(), next);
                await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, _time, cancellationToken);
                if (wait < TimeSpan.Zero)
                {
                    next = _time.GetTimestamp();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run is over.
        }
        catch (BlazorClientException ex)
        {
            lock (_lock)
            {
                _failure = ex.Message;
            }

            // A page the server (or a starved client) dropped is opened again, as a person would reload it; the chat
            // waits for them (the reconnect grace). Three times at most.
            if (Interlocked.Increment(ref _reloads) <= 3 && await ReloadAsync(cancellationToken))
            {
                await RunAsync(cancellationToken);
            }
        }
    }

    private async Task<bool> ReloadAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var person in (ChatPerson[])[first, second])
            {
                if (person.Failure is not null)
                {
                    await person.DisposeAsync();
                    await person.OpenChatPageAsync(cancellationToken);
                }
            }

            // Closing a dropped page ends their chat after the leave grace: they pick each other again if need be.
            await first.PickAsync(second.UserName, cancellationToken);
            await second.PickAsync(first.UserName, cancellationToken);
            await first.WaitUntilChattingAsync(second.UserName, cancellationToken);
            await second.WaitUntilChattingAsync(first.UserName, cancellationToken);
            return true;
        }
        catch (BlazorClientException ex)
        {
            lock (_lock)
            {
                _failure += $"; reloading failed: {ex.Message}";
            }

            return false;
        }
    }

    /// <summary>The figures since the last call, and a fresh start for the next phase.</summary>
    public BystanderFigures TakePhase()
    {
        lock (_lock)
        {
            var figures = new BystanderFigures(_latencies.Summarize(), _sent, _delivered, _failure);
            _latencies = new LatencyRecorder();
            _sent = 0;
            _delivered = 0;
            _failure = null;
            return figures;
        }
    }
}
