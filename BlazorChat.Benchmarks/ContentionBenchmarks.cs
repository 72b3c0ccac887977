using BenchmarkDotNet.Attributes;
using BlazorChat.Chat;

namespace BlazorChat.Benchmarks;

/// <summary>
/// <see cref="Threads"/> dedicated threads work on the one router at once, each for its own pair, all through
/// the router's one lock. Figures are per operation: wall time of a round divided by all threads' operations.
/// </summary>
[MemoryDiagnoser]
public class ContentionBenchmarks
{
    private const int OperationsPerRound = 4_000;
    private const string Text = "hello, how are you?";

    private readonly List<ChatConnection> _connections = [];
    private readonly List<Thread> _workers = [];
    private ChatConnection[] _senders = [];
    private ChatConnection[] _pickers = [];
    private string[] _picked = [];
    private Barrier _start = null!;
    private Barrier _done = null!;
    private Action<int> _send = null!;
    private Action<int> _lookup = null!;
    private Action<int> _work = null!;
    private volatile bool _stopping;

    [Params(1, 4)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Users 0..2T-1 are T chatting pairs; users 2T..3T-1 each wait for one of 3T..4T-1, who never pick back.
        var router = RouterFactory.Create(4 * Threads);
        _senders = new ChatConnection[Threads];
        _pickers = new ChatConnection[Threads];
        _picked = new string[Threads];
        for (var t = 0; t < Threads; t++)
        {
            var first = Connect(router, 2 * t);
            var second = Connect(router, 2 * t + 1);
            first.Pick(RouterFactory.UserName(2 * t + 1));
            if (second.Pick(RouterFactory.UserName(2 * t)) != PickResult.Paired)
            {
                throw new InvalidOperationException("The benchmark's users did not pair.");
            }

            _senders[t] = first;
            _pickers[t] = Connect(router, 2 * Threads + t);
            _picked[t] = RouterFactory.UserName(3 * Threads + t);
            _pickers[t].Pick(_picked[t]);
        }

        // Made once: a method group converted on every round would allocate a delegate each time.
        _send = Send;
        _lookup = Lookup;
        _start = new Barrier(Threads + 1);
        _done = new Barrier(Threads + 1);
        for (var t = 0; t < Threads; t++)
        {
            var index = t;
            var worker = new Thread(() => RunWorker(index)) { IsBackground = true, Name = $"bench-{t}" };
            worker.Start();
            _workers.Add(worker);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stopping = true;
        _start.SignalAndWait();
        foreach (var worker in _workers)
        {
            worker.Join();
        }

        foreach (var connection in _connections)
        {
            connection.Dispose();
        }

        _start.Dispose();
        _done.Dispose();
    }

    /// <summary>Each thread sends in its own chat.</summary>
    [Benchmark(OperationsPerInvoke = OperationsPerRound)]
    public void SendsUnderContention() => RunRound(_send);

    /// <summary>
    /// Each thread repeats its standing pick: the account lookup, the lock and the user lookup every operation
    /// starts with, and no event (the pick is unchanged).
    /// </summary>
    [Benchmark(OperationsPerInvoke = OperationsPerRound)]
    public void LookupsUnderContention() => RunRound(_lookup);

    private void RunRound(Action<int> work)
    {
        // The barrier publishes the field to the workers.
        _work = work;
        _start.SignalAndWait();
        _done.SignalAndWait();
    }

    private void RunWorker(int index)
    {
        while (true)
        {
            _start.SignalAndWait();
            if (_stopping)
            {
                return;
            }

            var work = _work;
            for (var i = 0; i < OperationsPerRound / Threads; i++)
            {
                work(index);
            }

            _done.SignalAndWait();
        }
    }

    private void Send(int index) => _senders[index].Send(Text);

    private void Lookup(int index) => _pickers[index].Pick(_picked[index]);

    private ChatConnection Connect(ChatRouter router, int user)
    {
        var connection = router.Connect(RouterFactory.UserName(user), RouterFactory.Ignore);
        _connections.Add(connection);
        return connection;
    }
}
