using BlazorChat.Benchmarking;
using Microsoft.AspNetCore.SignalR.Client;

namespace BlazorChat.Tests.Benchmarking;

public sealed class BenchHubTests(BenchmarkingServerFixture fixture) : IClassFixture<BenchmarkingServerFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Forward_ReachesTheOtherMemberOfThePairOnly()
    {
        await using var first = Connect();
        await using var second = Connect();
        await using var outsider = Connect();
        TaskCompletionSource<string> secondGot = new(TaskCreationOptions.RunContinuationsAsynchronously);
        TaskCompletionSource<string> firstGot = new(TaskCreationOptions.RunContinuationsAsynchronously);
        List<string> firstAlsoGot = [];
        List<string> outsiderGot = [];
        second.On<string>(BenchHub.ReceiveMethod, message => secondGot.TrySetResult(message));
        first.On<string>(BenchHub.ReceiveMethod, message =>
        {
            firstAlsoGot.Add(message);
            firstGot.TrySetResult(message);
        });
        outsider.On<string>(BenchHub.ReceiveMethod, outsiderGot.Add);
        await Task.WhenAll(first.StartAsync(), second.StartAsync(), outsider.StartAsync()).WaitAsync(Timeout);
        await first.InvokeAsync(nameof(BenchHub.Join), "pair-1").WaitAsync(Timeout);
        await second.InvokeAsync(nameof(BenchHub.Join), "pair-1").WaitAsync(Timeout);
        await outsider.InvokeAsync(nameof(BenchHub.Join), "pair-2").WaitAsync(Timeout);

        await first.InvokeAsync(nameof(BenchHub.Forward), "pair-1", "hello <b>karam</b> 👋").WaitAsync(Timeout);
        await second.InvokeAsync(nameof(BenchHub.Forward), "pair-1", "hi hamza").WaitAsync(Timeout);

        Assert.Equal("hello <b>karam</b> 👋", await secondGot.Task.WaitAsync(Timeout));
        Assert.Equal("hi hamza", await firstGot.Task.WaitAsync(Timeout));
        // A round trip on each after the sends: anything still in flight to them would have arrived first.
        await first.InvokeAsync(nameof(BenchHub.Join), "pair-1").WaitAsync(Timeout);
        await outsider.InvokeAsync(nameof(BenchHub.Join), "pair-2").WaitAsync(Timeout);
        Assert.Equal(["hi hamza"], firstAlsoGot);
        Assert.Empty(outsiderGot);
    }

    private HubConnection Connect() =>
        new HubConnectionBuilder().WithUrl(new Uri(fixture.Server.BaseAddress, BenchHub.Path.TrimStart('/'))).Build();
}
