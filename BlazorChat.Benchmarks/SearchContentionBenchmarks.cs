using BenchmarkDotNet.Attributes;
using BlazorChat.Chat;

namespace BlazorChat.Benchmarks;

/// <summary>
/// A message sent in one chat while, on another thread, someone searches the people list without pause (the
/// directory of <see cref="PeopleBenchmarks"/>, one screen of 20 per search). A send waits for the router's lock
/// whenever a search holds it, so the time per send shows how long searches keep messages waiting.
/// </summary>
[MemoryDiagnoser]
public class SearchContentionBenchmarks
{
    private const string Text = "hello, how are you?";

    private List<ChatConnection> _connections = [];
    private ChatConnection _sender = null!;
    private Thread? _searcher;
    private volatile bool _stopping;

    [Params("1", "user9999")]
    public string Filter { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _connections = PeopleBenchmarks.OpenDirectory();

        // Two of the online people chat; a third searches.
        _sender = _connections[1];
        _sender.Pick(_connections[2].UserName);
        if (_connections[2].Pick(_sender.UserName) != PickResult.Paired)
        {
            throw new InvalidOperationException("The benchmark's users did not pair.");
        }

        var searching = _connections[0];
        _searcher = new Thread(() =>
        {
            while (!_stopping)
            {
                searching.FindPeople(Filter, 20);
            }
        })
        { IsBackground = true, Name = "searcher" };
        _searcher.Start();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stopping = true;
        _searcher?.Join();
        foreach (var connection in _connections)
        {
            connection.Dispose();
        }
    }

    [Benchmark]
    public SendResult SendWhileSearching() => _sender.Send(Text);
}
