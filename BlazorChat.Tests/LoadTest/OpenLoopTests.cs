using BlazorChat.LoadTest.Ladder;

namespace BlazorChat.Tests.LoadTest;

public sealed class OpenLoopTests
{
    [Fact]
    public async Task RunAsync_SlowSenders_KeepsTheScheduleWithoutWaitingForThem()
    {
        var calls = new List<(int Sender, int Sequence)>();
        var never = new TaskCompletionSource();
        var senders = Enumerable.Range(0, 4).Select(index => (Func<int, Task>)(sequence =>
        {
            lock (calls)
            {
                calls.Add((index, sequence));
            }

            // Open loop: a send that has not finished must not hold back the next one.
            return index == 0 ? never.Task : Task.CompletedTask;
        })).ToArray();
        var run = OpenLoop.RunAsync(senders, rate: 200, TimeSpan.FromSeconds(0.5), step: 3, CancellationToken.None);

        while (!run.IsCompleted && calls.Count < 100)
        {
            await Task.Delay(10);
        }

        never.SetResult();
        var (sent, _, failure) = await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Null(failure);
        Assert.Equal(100, sent);
        Assert.Equal(100, calls.Count);
        Assert.All(Enumerable.Range(0, 4), index => Assert.Equal(25, calls.Count(c => c.Sender == index)));
        Assert.All(calls, c => Assert.Equal(3, c.Sequence / OpenLoop.StepBase));
        Assert.Equal(Enumerable.Range(1, 25), calls.Where(c => c.Sender == 2).Select(c => c.Sequence % OpenLoop.StepBase));
    }
}
