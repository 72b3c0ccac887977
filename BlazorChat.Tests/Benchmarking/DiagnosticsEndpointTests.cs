using System.Net;
using System.Text.Json;
using BlazorChat.Benchmarking;
using BlazorChat.Chat;
using BlazorChat.Tests.EndToEnd;

namespace BlazorChat.Tests.Benchmarking;

public sealed class DiagnosticsEndpointTests(BenchmarkingServerFixture fixture) : IClassFixture<BenchmarkingServerFixture>
{
    [Fact]
    public async Task Diagnostics_Enabled_ReturnsTheProcessesOwnFigures()
    {
        using var client = fixture.Server.CreateBrowserLikeClient();

        using var response = await client.GetAsync(new Uri("/_diagnostics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        var process = root.GetProperty("process");
        Assert.InRange(process.GetProperty("workingSetBytes").GetInt64(), 1_000_000, long.MaxValue);
        Assert.InRange(process.GetProperty("privateBytes").GetInt64(), 1_000_000, long.MaxValue);
        Assert.InRange(process.GetProperty("cpuTotalSeconds").GetDouble(), 0.001, double.MaxValue);
        Assert.Equal(Environment.ProcessorCount, process.GetProperty("processorCount").GetInt32());
        var gc = root.GetProperty("gc");
        Assert.InRange(gc.GetProperty("heapSizeBytes").GetInt64(), 1, long.MaxValue);
        Assert.InRange(gc.GetProperty("totalAllocatedBytes").GetInt64(), 1_000_000, long.MaxValue);
        // A full collection collects generation 0 too, so gen 0's count includes gen 2's (and the pause is there, as a number).
        Assert.InRange(gc.GetProperty("gen2Collections").GetInt32(), 0, gc.GetProperty("gen0Collections").GetInt32());
        Assert.Equal(JsonValueKind.Number, gc.GetProperty("totalPauseMilliseconds").ValueKind);
        Assert.InRange(root.GetProperty("threadPool").GetProperty("threads").GetInt32(), 1, int.MaxValue);
        Assert.Equal(0, root.GetProperty("router").GetProperty("connections").GetInt32());
        Assert.Equal(0, root.GetProperty("circuits").GetProperty("active").GetInt64());
        Assert.Equal(0, root.GetProperty("circuits").GetProperty("connected").GetInt64());
    }

    [Fact]
    public async Task Diagnostics_Enabled_ShowsTheRoutersConnections()
    {
        var router = fixture.Server.Services.GetRequiredService<ChatRouter>();
        using var client = fixture.Server.CreateBrowserLikeClient();
        using var hamza = router.Connect("hamza", static _ => Task.CompletedTask);
        using var karam = router.Connect("karam", static _ => Task.CompletedTask);
        hamza.Pick("karam");
        karam.Pick("hamza");

        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri("/_diagnostics", UriKind.Relative)));

        var counts = json.RootElement.GetProperty("router");
        Assert.Equal(2, counts.GetProperty("connections").GetInt32());
        Assert.Equal(2, counts.GetProperty("onlineUsers").GetInt32());
        Assert.Equal(1, counts.GetProperty("conversations").GetInt32());
    }

    [Fact]
    public async Task Diagnostics_WithCollect_RunsAFullCollectionBeforeReading()
    {
        using var client = fixture.Server.CreateBrowserLikeClient();

        var before = await Gen2CollectionsAsync(client, "/_diagnostics");
        var collected = await Gen2CollectionsAsync(client, "/_diagnostics?collect=true");
        var plain = await Gen2CollectionsAsync(client, "/_diagnostics?collect=false");

        Assert.True(collected >= before + 2, $"gen2 collections went from {before} to {collected}; collect=true forces two");
        Assert.InRange(plain, collected, collected + 1);
    }

    private static async Task<int> Gen2CollectionsAsync(HttpClient client, string path)
    {
        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri(path, UriKind.Relative)));
        return json.RootElement.GetProperty("gc").GetProperty("gen2Collections").GetInt32();
    }

    [Theory]
    [InlineData("/_diagnostics")]
    [InlineData("/_bench/hub/negotiate?negotiateVersion=1")]
    public async Task Benchmarking_FromAnotherMachine_IsNotFound(string path)
    {
        using var client = fixture.Server.CreateBrowserLikeClient();
        using var request = new HttpRequestMessage(path.Contains("negotiate", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Get, path);
        request.Headers.Add(BenchmarkingServerFixture.RemoteAddressHeader, "203.0.113.7");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Diagnostics_RelayedByALocalProxy_IsNotFound()
    {
        using var client = fixture.Server.CreateBrowserLikeClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/_diagnostics");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Benchmarking_Disabled_IsNotFound()
    {
        await using var server = new BlazorChatServer();
        server.Start();
        using var client = server.CreateBrowserLikeClient();

        using var diagnostics = await client.GetAsync(new Uri("/_diagnostics", UriKind.Relative));
        using var negotiate = await client.PostAsync(new Uri("/_bench/hub/negotiate?negotiateVersion=1", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.NotFound, diagnostics.StatusCode);
        // No hub there: the post falls through to the app's pages, which refuse it (a form post without a token).
        Assert.False(negotiate.IsSuccessStatusCode);
        Assert.DoesNotContain("connectionToken", await negotiate.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(server.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<BenchmarkingOptions>>().Value.Enabled);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("10.0.0.5", false)]
    [InlineData("::ffff:192.168.1.20", false)]
    public void IsLocal_DependsOnTheRemoteAddress(string address, bool local)
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);

        Assert.Equal(local, BenchmarkingExtensions.IsLocal(context));
    }

    [Fact]
    public void IsLocal_WithoutARemoteAddress_IsFalse()
    {
        Assert.False(BenchmarkingExtensions.IsLocal(new Microsoft.AspNetCore.Http.DefaultHttpContext()));
    }
}
