namespace BlazorChat.Tests.Cluster;

/// <summary>The fixture itself, as a collection fixture: a loopback Redis that can go away and come back on its port.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisServerTests(RedisServer redis)
{
    [Fact]
    public async Task StopThenStart_ComesBackOnTheSamePort_WithNothingKept()
    {
        var port = redis.Port;
        var pid = redis.Pid;
        Assert.True(await redis.AnswersPingAsync());

        await redis.StopAsync();
        var answersWhileStopped = await redis.AnswersPingAsync();
        await redis.StartAsync();

        Assert.False(answersWhileStopped);
        Assert.True(await redis.AnswersPingAsync());
        Assert.Equal(port, redis.Port);
        Assert.NotEqual(pid, redis.Pid);
        Assert.Equal($"127.0.0.1:{port}", redis.ConnectionString);
        Assert.Empty(Directory.GetFiles(redis.Folder, "*.rdb"));
        Assert.Empty(Directory.GetFiles(redis.Folder, "*.aof"));
    }
}
