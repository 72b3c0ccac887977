using BenchmarkDotNet.Attributes;
using BlazorChat.Chat;

namespace BlazorChat.Benchmarks;

/// <summary>
/// One message routed in a chat whose two users have <see cref="Tabs"/> tabs each: every tab of both gets it
/// (the sender's other tabs show what they sent), so one send posts to 2 × Tabs outboxes.
/// </summary>
[MemoryDiagnoser]
public class SendBenchmarks
{
    // The same string every time: a real message's text arrives already allocated by SignalR, so the
    // router's own cost is what it allocates beyond it.
    private const string Text = "hello, how are you?";
    private static readonly string SenderName = RouterFactory.UserName(0);

    private readonly List<ChatConnection> _connections = [];
    private ChatConnection _sender = null!;

    [Params(1, 4)]
    public int Tabs { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var router = RouterFactory.Create(2);
        for (var i = 0; i < Tabs; i++)
        {
            _connections.Add(router.Connect(RouterFactory.UserName(0), RouterFactory.Ignore));
            _connections.Add(router.Connect(RouterFactory.UserName(1), RouterFactory.Ignore));
        }

        _sender = _connections[0];
        _sender.Pick(RouterFactory.UserName(1));
        if (_connections[1].Pick(RouterFactory.UserName(0)) != PickResult.Paired)
        {
            throw new InvalidOperationException("The benchmark's users did not pair.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var connection in _connections)
        {
            connection.Dispose();
        }
    }

    /// <summary>What one message is made of: the record the router keeps and the event every tab gets.</summary>
    [Benchmark(Baseline = true)]
    public MessageReceived MessageItself() =>
        new(1, new ChatMessage(1, SenderName, Text, TimeProvider.System.GetUtcNow()));

    [Benchmark]
    public SendResult Send() => _sender.Send(Text);
}
