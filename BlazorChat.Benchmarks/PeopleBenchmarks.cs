using BenchmarkDotNet.Attributes;
using BlazorChat.Chat;

namespace BlazorChat.Benchmarks;

/// <summary>
/// One screen of the people list (20 names) in a directory of 10,000 accounts with 1,000 online, as every open
/// list reads it on each change: without a search, and with one matching many names ("1") or few ("user9999").
/// A search tests the names before it takes the router's lock; <see cref="SearchContentionBenchmarks"/> shows what
/// a send waits meanwhile.
/// </summary>
[MemoryDiagnoser]
public class PeopleBenchmarks
{
    public const int Accounts = 10_000;
    public const int Online = 1_000;
    private List<ChatConnection> _connections = [];

    [Params(null, "1", "user9999")]
    public string? Filter { get; set; }

    [GlobalSetup]
    public void Setup() => _connections = OpenDirectory();

    /// <summary>A router with <see cref="Accounts"/> accounts, every tenth of them online with one tab.</summary>
    public static List<ChatConnection> OpenDirectory()
    {
        var router = RouterFactory.Create(Accounts);
        return [.. Enumerable.Range(0, Online).Select(i => router.Connect(RouterFactory.UserName(i * (Accounts / Online)), RouterFactory.Ignore))];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var connection in _connections)
        {
            connection.Dispose();
        }
    }

    [Benchmark]
    public int FindPeople() => _connections[0].FindPeople(Filter, 20).Matches;
}
