using BlazorChat.Chat;
using BlazorChat.LoadTest.Chat;
using BlazorChat.LoadTest.Protocol;
using BlazorChat.Tests.EndToEnd;

namespace BlazorChat.Tests.LoadTest;

public sealed class CircuitTakeoverTests
{
    [Fact]
    public async Task ConnectCircuit_WithAnotherUsersCookie_IsRefused_AndTheTabLeavesTheChat()
    {
        await using var server = new BlazorChatServer(
            new Dictionary<string, string> { ["Accounts:PasswordHashIterations"] = "10000", ["Chat:ReconnectGrace"] = "00:00:00" },
            seedCsv: "username,password\nstudent01,pass-1\nstudent02,pass-2\n");
        server.Start();
        using var http = new BrowserHttp();
        await using var owner = new ChatPerson("student01", "pass-1", http, server.BaseAddress, TimeSpan.FromSeconds(30));
        await owner.SignInAsync(CancellationToken.None);
        await owner.OpenChatPageAsync(CancellationToken.None);
        var circuitId = owner.Circuit.CircuitId!;
        var router = server.Services.GetRequiredService<ChatRouter>();
        Assert.Equal(1, router.ConnectionCount);

        // Someone else, signed in as themselves, who has learnt the tab's circuit id.
        var other = new BrowserSession(http, server.BaseAddress);
        await other.SignInAsync("student02", "pass-2", CancellationToken.None);
        await using var takeover = new BlazorCircuit(other, JsInterop.ForBlazorChat(), TimeSpan.FromSeconds(30));

        var taken = await takeover.TryConnectCircuitAsync(circuitId, CancellationToken.None);

        Assert.False(taken);
        Assert.Equal(0, router.ConnectionCount);
    }

    [Fact]
    public async Task ConnectCircuit_WithTheSameSignIn_TakesTheTabBack()
    {
        await using var server = new BlazorChatServer(
            new Dictionary<string, string> { ["Accounts:PasswordHashIterations"] = "10000" },
            seedCsv: "username,password\nstudent01,pass-1\nstudent02,pass-2\n");
        server.Start();
        using var http = new BrowserHttp();
        var session = new BrowserSession(http, server.BaseAddress);
        await session.SignInAsync("student01", "pass-1", CancellationToken.None);
        await using var tab = new BlazorCircuit(session, JsInterop.ForBlazorChat(), TimeSpan.FromSeconds(30));
        await tab.StartAsync("", CancellationToken.None);
        await tab.WaitForAsync("the people list", page => page.Document.Find(e => e.Attribute("aria-label") == "People") is not null, CancellationToken.None);
        await using var reconnecting = new BlazorCircuit(session, JsInterop.ForBlazorChat(), TimeSpan.FromSeconds(30));

        var taken = await reconnecting.TryConnectCircuitAsync(tab.CircuitId!, CancellationToken.None);

        Assert.True(taken);
        Assert.Equal(1, server.Services.GetRequiredService<ChatRouter>().ConnectionCount);
    }
}
