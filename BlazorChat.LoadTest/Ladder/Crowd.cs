using System.Diagnostics;
using BlazorChat.LoadTest.Chat;
using BlazorChat.LoadTest.Protocol;

namespace BlazorChat.LoadTest.Ladder;

/// <summary>
/// The simulated people of a run, signed in with their chat page open, numbered from 1 as the generated
/// accounts are. One shared connection pool; grows and shrinks from the end.
/// </summary>
public sealed class Crowd(Uri baseAddress, TimeSpan timeout, int concurrency = 32) : IAsyncDisposable
{
    private readonly BrowserHttp _http = new(timeout);
    private readonly List<ChatPerson> _people = [];
    private readonly Dictionary<ChatPerson, int> _numbers = [];
    private readonly SortedSet<int> _freeNumbers = [];
    private int _nextNumber = 1;

    public IReadOnlyList<ChatPerson> People => _people;

    public int Count => _people.Count;

    /// <summary>
    /// Signs in and opens the chat page for people Count+1 … target; returns the time it took. Nobody new starts
    /// after deadline: those are left out (Count tells how many there are).
    /// </summary>
    public async Task<TimeSpan> GrowToAsync(int target, CancellationToken cancellationToken, DateTime? deadline = null)
    {
        var clock = Stopwatch.StartNew();
        var added = new ChatPerson[Math.Max(0, target - _people.Count)];
        for (var i = 0; i < added.Length; i++)
        {
            var number = _freeNumbers.Count > 0 ? _freeNumbers.Min : _nextNumber++;
            _freeNumbers.Remove(number);
            added[i] = new ChatPerson(Accounts.UserName(number), Accounts.Password(number), _http, baseAddress, timeout);
            _numbers[added[i]] = number;
        }

        _people.AddRange(added);
        using var gate = new SemaphoreSlim(concurrency);
        await Task.WhenAll(added.Select(async person =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                if (DateTime.UtcNow > deadline)
                {
                    lock (_people)
                    {
                        _people.Remove(person);
                        _freeNumbers.Add(_numbers[person]);
                        _numbers.Remove(person);
                    }

                    return;
                }

                await person.SignInAsync(cancellationToken);
                await person.OpenChatPageAsync(cancellationToken);
                person.Slim();
            }
            finally
            {
                gate.Release();
            }
        }));
        return clock.Elapsed;
    }

    /// <summary>Closes the pages of the people past target (disconnect beacon included), so the server frees their circuits.</summary>
    public async Task ShrinkToAsync(int target, CancellationToken cancellationToken)
    {
        if (target >= _people.Count)
        {
            return;
        }

        var leaving = _people.Skip(target).ToArray();
        _people.RemoveRange(target, _people.Count - target);
        await CloseAsync(leaving, cancellationToken);
    }

    /// <summary>People whose page failed (e.g. the server dropped the connection); for reports.</summary>
    public IReadOnlyList<ChatPerson> Failed => [.. _people.Where(p => p.Failure is not null)];

    /// <summary>Closes and forgets the people whose page failed; their accounts can be used again.</summary>
    public async Task DropFailedAsync(CancellationToken cancellationToken)
    {
        var failed = Failed;
        _people.RemoveAll(p => p.Failure is not null);
        await CloseAsync(failed, cancellationToken);
    }

    private async Task CloseAsync(IReadOnlyList<ChatPerson> leaving, CancellationToken cancellationToken)
    {
        foreach (var person in leaving)
        {
            if (_numbers.Remove(person, out var number))
            {
                _freeNumbers.Add(number);
            }
        }

        using var gate = new SemaphoreSlim(concurrency);
        await Task.WhenAll(leaving.Select(async person =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                await person.DisposeAsync();
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    /// <summary>Pairs person 2k-1 with 2k for the first pairs pairs; returns the time until every one of them sees the chat.</summary>
    public async Task<TimeSpan> PairAsync(int pairs, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Pairs(pairs).Select(async pair =>
        {
            await Task.WhenAll(
                pair.First.PickAsync(pair.Second.UserName, cancellationToken),
                pair.Second.PickAsync(pair.First.UserName, cancellationToken));
            await Task.WhenAll(
                pair.First.WaitUntilChattingAsync(pair.Second.UserName, cancellationToken),
                pair.Second.WaitUntilChattingAsync(pair.First.UserName, cancellationToken));
        }));
        return clock.Elapsed;
    }

    /// <summary>The first of each pair types @end; returns once both sides are back on the user list.</summary>
    public Task EndChatsAsync(int pairs, CancellationToken cancellationToken) =>
        Task.WhenAll(Pairs(pairs).Select(async pair =>
        {
            await pair.First.EndChatAsync(cancellationToken);
            await pair.Second.WaitUntilNotChattingAsync(cancellationToken);
        }));

    public IEnumerable<(ChatPerson First, ChatPerson Second)> Pairs(int pairs) =>
        _people.Take(pairs * 2).Chunk(2).Where(p => p.Length == 2).Select(p => (p[0], p[1]));

    public async ValueTask DisposeAsync()
    {
        await ShrinkToAsync(0, CancellationToken.None);
        _http.Dispose();
    }
}
