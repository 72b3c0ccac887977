using System.Net;
using BlazorChat.Chat;
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
