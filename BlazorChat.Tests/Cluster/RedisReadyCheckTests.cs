using System.Diagnostics;
using System.Net;
using BlazorChat.Tests.EndToEnd;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace BlazorChat.Tests.Cluster;

/// <summary>
/// /readyz with <c>Cluster:Redis</c> set follows Redis: Healthy while it answers, Unhealthy within seconds of it going
/// away, Healthy again when it is back. Each test has its own redis-server (stopping it is the test).
/// </summary>
public sealed class RedisReadyCheckTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Readyz_WhenRedisStopsAndReturns_TurnsUnhealthyThenHealthyAgain()
    {
        await using var redis = await RedisServer.StartNewAsync();
        await using var server = new BlazorChatServer(new Dictionary<string, string> { ["Cluster:Redis"] = redis.ConnectionString });
        server.Start();
        using var client = server.CreateBrowserLikeClient();
        Assert.Equal((HttpStatusCode.OK, "Healthy"), await ReadyAsync(client));

        await redis.StopAsync();
        var lost = await WaitForReadyAsync(client, HttpStatusCode.ServiceUnavailable);

        await redis.StartAsync();
        var back = await WaitForReadyAsync(client, HttpStatusCode.OK);

        Assert.Equal("Unhealthy", lost.Body);
        Assert.Equal("Healthy", back.Body);
        using var live = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task Readyz_WhenRedisIsKilled_TurnsUnhealthy()
    {
        await using var redis = await RedisServer.StartNewAsync();
        await using var server = new BlazorChatServer(new Dictionary<string, string> { ["Cluster:Redis"] = redis.ConnectionString });
        server.Start();
        using var client = server.CreateBrowserLikeClient();
        Assert.Equal((HttpStatusCode.OK, "Healthy"), await ReadyAsync(client));

        await redis.KillAsync();
        var lost = await WaitForReadyAsync(client, HttpStatusCode.ServiceUnavailable);

        Assert.Equal("Unhealthy", lost.Body);
    }

    [Fact]
    public async Task Start_WithRedisDown_IsQuick_AndReadyzIsUnhealthyUntilRedisComes()
    {
        // A server that is not running yet: its port is reserved, nothing listens there.
        await using var redis = new RedisServer();
        await using var server = new BlazorChatServer(new Dictionary<string, string> { ["Cluster:Redis"] = redis.ConnectionString });
        var clock = Stopwatch.StartNew();
        server.Start();
        using var client = server.CreateBrowserLikeClient();

        var down = await ReadyAsync(client);
        var firstAnswer = clock.Elapsed;
        output.WriteLine($"start-up and the first /readyz: {firstAnswer.TotalMilliseconds:0} ms");
        await redis.StartAsync();
        var up = await WaitForReadyAsync(client, HttpStatusCode.OK);

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy"), down);
        Assert.True(firstAnswer < TimeSpan.FromSeconds(15), $"start-up and the first /readyz took {firstAnswer}");
        Assert.Equal("Healthy", up.Body);
    }

    [Fact]
    public async Task Readyz_WithoutClusterRedis_DoesNotUseRedis()
    {
        await using var server = new BlazorChatServer();
        server.Start();
        using var client = server.CreateBrowserLikeClient();

        var ready = await ReadyAsync(client);

        Assert.Equal((HttpStatusCode.OK, "Healthy"), ready);
        Assert.Throws<InvalidOperationException>(() => server.Services.GetRequiredService<IConnectionMultiplexer>());
    }

    private static async Task<(HttpStatusCode Status, string Body)> ReadyAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/readyz");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Asks /readyz until it answers <paramref name="expected"/>; fails after <see cref="Deadline"/> with the last answer.</summary>
    private async Task<(HttpStatusCode Status, string Body)> WaitForReadyAsync(HttpClient client, HttpStatusCode expected)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var answer = await ReadyAsync(client);
            if (answer.Status == expected)
            {
                output.WriteLine($"/readyz answered {expected} after {clock.ElapsedMilliseconds} ms");
                return answer;
            }

            Assert.True(clock.Elapsed < Deadline, $"/readyz still answered {answer.Status} {answer.Body} after {clock.Elapsed}, waiting for {expected}");
            await Task.Delay(100);
        }
    }
}
