using BlazorChat.Chat;

namespace BlazorChat.Tests.Chat;

public sealed class ChatRouterConcurrencyTests
{
    [Fact]
    public async Task ManyThreads_PickSendEndDisconnect_LeaveConsistentState()
    {
        string[] users = [.. Enumerable.Range(0, 12).Select(i => $"user{i}")];
        // Tabs are opened faster than closed, so the tab limits refuse some, from four addresses.
        var fixture = new RouterFixture(
            new ChatOptions { LeaveGrace = TimeSpan.Zero, ReconnectGrace = TimeSpan.Zero, MaxMessagesPerSecond = 0, MaxPicksPerMinute = 0, MaxTabsPerUser = 40, MaxTabsPerAddress = 100 },
            users);
        var router = fixture.Router;
        var refused = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(3);
        var exceptions = 0;

        async Task Worker(int seed)
        {
            var random = new Random(seed);
            var connections = new List<ChatConnection>();
            try
            {
                for (var step = 0; step < 20_000 && DateTime.UtcNow < deadline; step++)
                {
                    var me = users[random.Next(users.Length)];
                    switch (random.Next(8))
                    {
                        case 0 or 1:
                            if (router.TryConnect(me, static _ => Task.CompletedTask, null, $"10.0.0.{random.Next(4)}").Connection is { } opened)
                            {
                                connections.Add(opened);
                            }
                            else
                            {
                                Interlocked.Increment(ref refused);
                            }

                            break;
                        case 2 when connections.Count > 0:
                            var gone = connections[random.Next(connections.Count)];
                            gone.Dispose();
                            connections.Remove(gone);
                            break;
                        case 3 or 4 when connections.Count > 0:
                            connections[random.Next(connections.Count)].Pick(users[random.Next(users.Length)]);
                            break;
                        case 5 when connections.Count > 0:
                            connections[random.Next(connections.Count)].Send($"hello {step}");
                            break;
                        case 6 when connections.Count > 0:
                            connections[random.Next(connections.Count)].Send(random.Next(2) == 0 ? "@end" : " @END ");
                            break;
                        case 7 when connections.Count > 0:
                            connections[random.Next(connections.Count)].Withdraw();
                            break;
                    }
                }
            }
            catch (Exception)
            {
                Interlocked.Increment(ref exceptions);
                throw;
            }
            finally
            {
                foreach (var connection in connections)
                {
                    connection.Dispose();
                }
            }

            await Task.Yield();
        }

        var workers = Enumerable.Range(0, 8).Select(seed => Task.Run(() => Worker(seed))).ToArray();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, exceptions);
        Assert.True(refused > 0, "no tab was refused: the limits were not exercised");
        Assert.Empty(router.FindInvariantViolations());
        Assert.Equal(0, router.ConnectionCount);
        Assert.Equal(0, router.TrackedUserCount);
    }

    [Fact]
    public async Task ManyThreads_WhileChatting_CheckInvariantsAlongTheWay()
    {
        string[] users = [.. Enumerable.Range(0, 6).Select(i => $"user{i}")];
        var fixture = new RouterFixture(users: users);
        var router = fixture.Router;
        var connections = users.Select(u => router.Connect(u, static _ => Task.CompletedTask)).ToArray();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        List<string> violations = [];

        var workers = connections.Select((connection, index) => Task.Run(() =>
        {
            var random = new Random(index);
            while (!stop.IsCancellationRequested)
            {
                connection.Pick(users[random.Next(users.Length)]);
                connection.Send("hi");
                if (random.Next(4) == 0)
                {
                    connection.End();
                }
            }
        })).ToList();
        workers.Add(Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var found = router.FindInvariantViolations();
                if (found.Count > 0)
                {
                    lock (violations)
                    {
                        violations.AddRange(found);
                    }
                }
            }
        }));

        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Empty(violations);
        foreach (var connection in connections)
        {
            connection.Dispose();
        }

        Assert.Equal(0, router.TrackedUserCount);
    }
}
