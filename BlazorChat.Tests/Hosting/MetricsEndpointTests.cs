using System.Net;
using BlazorChat.Calls;
using BlazorChat.Chat;
using BlazorChat.Files;
using BlazorChat.Tests.EndToEnd;

namespace BlazorChat.Tests.Hosting;

/// <summary>/metrics: off by default, on with Hosting:Metrics for the allowed addresses only.</summary>
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_Off_IsNotFound()
    {
        await using var server = new BlazorChatServer();
        server.Start();
        using var client = server.CreateBrowserLikeClient();

        using var response = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_On_ExportsTheRoutersAspNetCoresAndTheRuntimesMeters()
    {
        await using var server = new BlazorChatServer(new Dictionary<string, string> { ["Hosting:Metrics"] = "true" });
        server.Start();
        var router = server.Services.GetRequiredService<ChatRouter>();
        using var hamza = router.Connect("hamza", _ => Task.CompletedTask);
        using var karam = router.Connect("karam", _ => Task.CompletedTask);
        hamza.Pick("karam");
        karam.Pick("hamza");
        Assert.Equal(SendStatus.Delivered, hamza.Send("hello").Status);
        using var client = server.CreateBrowserLikeClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);

        var text = await client.GetStringAsync("/metrics");

        Assert.Matches(@"(?m)^blazorchat_router_tabs(_tab)?(\{[^}]*\})? 2(\.0)?$", text);
        Assert.Matches(@"(?m)^blazorchat_router_chats(_chat)?(\{[^}]*\})? 1(\.0)?$", text);
        Assert.Matches(@"(?m)^blazorchat_router_messages(_message)?_total(\{[^}]*\})? 1(\.0)?$", text);
        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_On_ExportsCallsAndFiles()
    {
        await using var server = new BlazorChatServer(new Dictionary<string, string> { ["Hosting:Metrics"] = "true" });
        server.Start();
        var router = server.Services.GetRequiredService<ChatRouter>();
        var store = server.Services.GetRequiredService<FileStore>();
        var (hamza, hamzaChat, _) = Connect(router, "hamza");
        var (karam, _, karamRings) = Connect(router, "karam");
        var (hira, hiraChat, _) = Connect(router, "hira");
        var (zara, _, _) = Connect(router, "zara");
        using var tabs = new CompositeDisposable(hamza, karam, hira, zara);
        hamza.Pick("karam");
        karam.Pick("hamza");
        hira.Pick("zara");
        zara.Pick("hira");
        var conversationId = await hamzaChat.WaitAsync(TimeSpan.FromSeconds(10));

        // One call answered and one ringing; one file of 1,000 bytes sent and downloaded.
        Assert.Equal(CallResult.Ringing, hamza.StartCall(conversationId, CallKind.Voice));
        Assert.Equal(CallResult.Joined, karam.AcceptCall(await karamRings.WaitAsync(TimeSpan.FromSeconds(10))));
        Assert.Equal(CallResult.Ringing, hira.StartCall(await hiraChat.WaitAsync(TimeSpan.FromSeconds(10)), CallKind.Video));
        var upload = router.BeginUpload("hamza", conversationId, "a.bin", "application/octet-stream", 1000);
        Assert.Equal(UploadStatus.Accepted, upload.Status);
        var stored = await store.WriteAsync(upload.FileId, new MemoryStream(new byte[1000]), CancellationToken.None);
        Assert.NotNull(router.CompleteUpload(stored));
        await using (store.OpenRead(upload.FileId))
        {
        }

        using var client = server.CreateBrowserLikeClient();
        var text = await client.GetStringAsync("/metrics");

        AssertValue(text, "blazorchat_router_calls_ringing(_call)?", 1);
        AssertValue(text, "blazorchat_router_calls_active(_call)?", 1);
        AssertValue(text, "blazorchat_router_calls_started(_call)?_total", 2);
        AssertValue(text, "blazorchat_router_calls_answered(_call)?_total", 1);
        AssertValue(text, "blazorchat_router_files_shared(_file)?_total", 1);
        AssertValue(text, "blazorchat_router_files_shared_size(_bytes)?_total", 1000);
        AssertValue(text, "blazorchat_files_reads(_file)?_total", 1);
        AssertValue(text, "blazorchat_files_stored(_file)?", 1);
        Assert.Matches(@"(?m)^blazorchat_files_stored_size(_bytes)?(\{[^}]*\})? [1-9][0-9]*(\.0)?$", text);
    }

    // A tab whose first chat's id and first incoming call's id are awaited.
    private static (ChatConnection Tab, Task<long> ChatId, Task<long> IncomingCallId) Connect(ChatRouter router, string name)
    {
        var chat = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var call = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var tab = router.Connect(name, e =>
        {
            _ = e switch
            {
                ChatStarted started => chat.TrySetResult(started.ConversationId),
                CallChanged { Phase: CallPhase.Incoming } incoming => call.TrySetResult(incoming.CallId),
                _ => false,
            };
            return Task.CompletedTask;
        });
        return (tab, chat.Task, call.Task);
    }

    private sealed class CompositeDisposable(params IDisposable[] items) : IDisposable
    {
        public void Dispose()
        {
            foreach (var item in items)
            {
                item.Dispose();
            }
        }
    }

    private static void AssertValue(string text, string name, long value) =>
        Assert.Matches($@"(?m)^{name}(\{{[^}}]*\}})? {value}(\.0)?$", text);

    [Fact]
    public async Task Metrics_On_RefusesAClientOutsideTheAllowedNetworks()
    {
        await using var server = new BlazorChatServer(new Dictionary<string, string>
        {
            ["Hosting:Metrics"] = "true",
            ["Hosting:MetricsAllowedNetworks"] = "10.0.0.0/8",
        });
        server.Start();
        using var client = server.CreateBrowserLikeClient();

        using var response = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
