using BlazorChat.LoadTest.Chat;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorChat.LoadTest.Ladder;

/// <summary>
/// 2 × pairs connections to the bare SignalR hub (MessagePack), each pair in its own group, open until disposed,
/// so steps over the hub can take turns with steps over the chat pages on the same connections.
/// </summary>
public sealed class HubPairs : IAsyncDisposable
{
    private readonly HubConnection[] _connections;
    private Recording? _recording;

    private HubPairs(HubConnection[] connections)
    {
        _connections = connections;
        foreach (var connection in connections)
        {
            connection.On<string>("Receive", OnReceive);
        }
    }

    public int Pairs => _connections.Length / 2;

    public static async Task<HubPairs> OpenAsync(Uri baseAddress, int pairs, CancellationToken cancellationToken)
    {
        var connections = Enumerable.Range(0, pairs * 2).Select(_ => new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, "_bench/hub"), options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
            })
            .AddMessagePackProtocol()
            .Build()).ToArray();
        var hub = new HubPairs(connections);
        try
        {
            using var gate = new SemaphoreSlim(32);
            await Task.WhenAll(connections.Select(async (connection, index) =>
            {
                await gate.WaitAsync(cancellationToken);
                try
                {
                    await connection.StartAsync(cancellationToken);
                    await connection.InvokeAsync("Join", PairId(index), cancellationToken);
                }
                finally
                {
                    gate.Release();
                }
            }));
            return hub;
        }
        catch
        {
            await hub.DisposeAsync();
            throw;
        }
    }

    /// <summary>From now on, messages of step arriving on any connection are timed into recorder.</summary>
    public void RecordStep(int step, LatencyRecorder recorder) => Volatile.Write(ref _recording, new Recording(step, recorder));

    /// <summary>Connection i sends a stamped message to its pair's group, where the hub forwards it to the other.</summary>
    public Func<int, Task>[] Senders(string payload, CancellationToken cancellationToken) =>
        [.. _connections.Select((connection, index) => (Func<int, Task>)(sequence =>
        {
            var stamp = new StampedMessage($"hub{index}", sequence, TimeProvider.System.GetTimestamp());
            return connection.SendAsync("Forward", PairId(index), stamp.Format(payload), cancellationToken);
        }))];

    public async ValueTask DisposeAsync() =>
        await Task.WhenAll(_connections.Select(async c => await c.DisposeAsync()));

    private static string PairId(int connectionIndex) => $"pair{connectionIndex / 2}";

    private void OnReceive(string text)
    {
        if (Volatile.Read(ref _recording) is { } recording
            && StampedMessage.TryParse(text, out var stamp)
            && stamp.Sequence / OpenLoop.StepBase == recording.Step)
        {
            recording.Recorder.Record(TimeProvider.System.GetElapsedTime(stamp.SentTimestamp));
        }
    }

    private sealed record Recording(int Step, LatencyRecorder Recorder);
}
