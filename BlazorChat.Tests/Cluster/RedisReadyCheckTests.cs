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
    public async Task Start_WithRedisDown_FailsQuickly_WithTheRedisError()
    {
        // A clustered instance finds the others through Redis: without it there is no cluster to join, and start-up says so.
        await using var redis = new RedisServer();
        await using var server = new BlazorChatServer(new Dictionary<string, string> { ["Cluster:Redis"] = redis.ConnectionString });
        var clock = Stopwatch.StartNew();

        var error = Record.Exception(server.Start);

        output.WriteLine($"start-up failed after {clock.Elapsed.TotalMilliseconds:0} ms");
        Assert.NotNull(error);
        Assert.Contains("redis", error.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"start-up took {clock.Elapsed} to fail");
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
