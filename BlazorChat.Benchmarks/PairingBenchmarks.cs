using BenchmarkDotNet.Attributes;
using BlazorChat.Chat;

namespace BlazorChat.Benchmarks;

/// <summary>Two online users pick each other (the second pick pairs them), then one ends the chat.</summary>
[MemoryDiagnoser]
public class PairingBenchmarks
{
    private ChatConnection _first = null!;
    private ChatConnection _second = null!;

    [GlobalSetup]
    public void Setup()
    {
        var router = RouterFactory.Create(2);
        _first = router.Connect(RouterFactory.UserName(0), RouterFactory.Ignore);
        _second = router.Connect(RouterFactory.UserName(1), RouterFactory.Ignore);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _first.Dispose();
        _second.Dispose();
    }

    [Benchmark]
    public bool PickPairEnd()
    {
        _first.Pick(RouterFactory.UserName(1));
        _second.Pick(RouterFactory.UserName(0));
        return _first.End();
    }
}
