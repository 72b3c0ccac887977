using System.Diagnostics.Metrics;
using System.Text.Json;
using BlazorChat.Benchmarking;
using BlazorChat.Chat;
using BlazorChat.Tests.Chat;

namespace BlazorChat.Tests.Benchmarking;

// Its own server: the chat this leaves behind (its people stay online for the leave grace) is no other test's.
public sealed class DeliveryWaitMeterTests(BenchmarkingServerFixture fixture) : IClassFixture<BenchmarkingServerFixture>
{
    [Fact]
    public void DeliveryWaitMeter_CountsItsOwnAppsWaitsInBucketsWhoseBoundsHoldThem()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var otherApp = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        using var waits = new DeliveryWaitMeter(factory);
        var metrics = new ChatMetrics(factory);
        var otherMetrics = new ChatMetrics(otherApp.GetRequiredService<IMeterFactory>());

        metrics.DeliveryWait.Record(40e-6);
        metrics.DeliveryWait.Record(41e-6);
        metrics.DeliveryWait.Record(3);
        metrics.DeliveryWait.Record(0);
        otherMetrics.DeliveryWait.Record(40e-6);

        Assert.Collection(
            waits.Snapshot(),
            zero =>
            {
                Assert.Equal(1, zero.UpToMicroseconds);
                Assert.Equal(1, zero.Count);
            },
            fortyMicroseconds => AssertHolds(fortyMicroseconds, 40, 2),
            threeSeconds => AssertHolds(threeSeconds, 3_000_000, 1));
    }

    // A bucket holds the waits above the previous bound (a quarter of a doubling below) up to its own.
    private static void AssertHolds(WaitBucket bucket, double microseconds, long count)
    {
        Assert.InRange(microseconds, bucket.UpToMicroseconds / Math.Pow(2, 0.25), bucket.UpToMicroseconds);
        Assert.Equal(count, bucket.Count);
    }

    [Fact]
    public async Task Diagnostics_CountsHowLongEachEventWaitedForItsTab()
    {
        var router = fixture.Server.Services.GetRequiredService<ChatRouter>();
        using var client = fixture.Server.CreateBrowserLikeClient();
        EventRecorder hiraEvents = new();
        EventRecorder zaraEvents = new();
        using var hira = router.Connect("hira", hiraEvents.Handle);
        using var zara = router.Connect("zara", zaraEvents.Handle);
        hira.Pick("zara");
        zara.Pick("hira");
        await hiraEvents.WaitForAsync<ChatStarted>();
        await zaraEvents.WaitForAsync<ChatStarted>();
        var before = await DeliveryWaitsAsync(client);

        hira.Send("hello");
        await zaraEvents.WaitForAsync<MessageReceived>();
        await hiraEvents.WaitForAsync<MessageReceived>();
        var after = await DeliveryWaitsAsync(client);

        // The message reached two tabs, the partner's and the sender's own, and each wait fell in some bucket.
        Assert.InRange(after.Sum(b => b.Count) - before.Sum(b => b.Count), 2, long.MaxValue);
        Assert.All(after, b => Assert.True(b.UpToMicroseconds >= 1 && b.Count > 0, $"{b}"));
        Assert.Equal(after.OrderBy(b => b.UpToMicroseconds), after);
    }

    private static async Task<List<WaitBucket>> DeliveryWaitsAsync(HttpClient client)
    {
        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri("/_diagnostics", UriKind.Relative)));
        return [.. json.RootElement.GetProperty("deliveryWait").EnumerateArray()
            .Select(b => new WaitBucket(b.GetProperty("upToMicroseconds").GetDouble(), b.GetProperty("count").GetInt64()))];
    }
}
