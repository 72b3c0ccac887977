using System.Collections.Concurrent;
using System.Net;
using BlazorChat.Chat;
using BlazorChat.LoadTest.Protocol;

namespace BlazorChat.Tests.EndToEnd;

/// <summary>
/// The tab limits on the real server with raw Blazor clients (which, unlike a browser, need not leave a refused
/// page): the refused tab says why, is sent to the plain page, and holds no chat connection.
/// </summary>
public sealed class TabLimitTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private static readonly string Seed = "username,password\n" + string.Concat(Enumerable.Range(1, 4).Select(i => $"student{i:00},pass-{i}\n"));

    [Fact]
    public async Task OneAccount_TabBeyondTheDefaultLimitOfTwenty_IsToldWhy_SentToThePlainPage_AndHoldsNoConnection()
    {
        await using var server = Server();
        using var http = new BrowserHttp();
        var session = await SignInAsync(server, http, 1);
        var tabs = new List<BlazorCircuit>();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                var tab = new BlazorCircuit(session, JsInterop.ForBlazorChat(), Timeout);
                tabs.Add(tab);
                await tab.StartAsync("", CancellationToken.None);
                await tab.WaitForAsync("the chat page to become interactive", IsInteractive, CancellationToken.None);
            }

            var (refused, navigations) = Refusable(session);
            tabs.Add(refused);
            await refused.StartAsync("", CancellationToken.None);

            await refused.WaitForAsync("the refusal", page => Refusal(page) is not null, CancellationToken.None);
            Assert.Equal("You have too many BlazorChat tabs open (20). Close one, then reload.", refused.Query(Refusal));
            Assert.Equal("too-many-tabs?reason=user", Assert.Single(navigations));
            Assert.Equal(20, server.Services.GetRequiredService<ChatRouter>().ConnectionCount);

            var (status, html) = await session.GetAsync(new Uri(server.BaseAddress, "too-many-tabs?reason=user"), CancellationToken.None);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains("You have too many BlazorChat tabs open (20). Close one, then reload.", html, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var tab in tabs)
            {
                await tab.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task OneAddress_TabBeyondItsLimit_IsRefusedForAnotherAccount_TheAddressSeenInsideTheCircuit()
    {
        await using var server = Server(new Dictionary<string, string> { ["Chat:MaxTabsPerAddress"] = "2" });
        using var http = new BrowserHttp();
        var tabs = new List<BlazorCircuit>();
        try
        {
            for (var i = 1; i <= 2; i++)
            {
                var tab = new BlazorCircuit(await SignInAsync(server, http, i), JsInterop.ForBlazorChat(), Timeout);
                tabs.Add(tab);
                await tab.StartAsync("", CancellationToken.None);
                await tab.WaitForAsync("the chat page to become interactive", IsInteractive, CancellationToken.None);
            }

            var (refused, navigations) = Refusable(await SignInAsync(server, http, 3));
            tabs.Add(refused);
            await refused.StartAsync("", CancellationToken.None);

            await refused.WaitForAsync("the refusal", page => Refusal(page) is not null, CancellationToken.None);
            Assert.Equal("Too many BlazorChat tabs are open from your network (2). Close one, then reload.", refused.Query(Refusal));
            Assert.Equal("too-many-tabs?reason=address", Assert.Single(navigations));
            Assert.Equal(2, server.Services.GetRequiredService<ChatRouter>().ConnectionCount);
        }
        finally
        {
            foreach (var tab in tabs)
            {
                await tab.DisposeAsync();
            }
        }
    }

    private static BlazorChatServer Server(Dictionary<string, string>? settings = null)
    {
        settings ??= [];
        settings["Accounts:PasswordHashIterations"] = "10000";
        var server = new BlazorChatServer(settings, seedCsv: Seed);
        server.Start();
        return server;
    }

    private static async Task<BrowserSession> SignInAsync(BlazorChatServer server, BrowserHttp http, int student)
    {
        var session = new BrowserSession(http, server.BaseAddress);
        await session.SignInAsync($"student{student:00}", $"pass-{student}", CancellationToken.None);
        return session;
    }

    // A client that notes where the page sends it, and stays.
    private static (BlazorCircuit Circuit, ConcurrentQueue<string> Navigations) Refusable(BrowserSession session)
    {
        var navigations = new ConcurrentQueue<string>();
        var interop = JsInterop.ForBlazorChat().Answer("Blazor._internal.navigationManager.navigateTo", call =>
        {
            navigations.Enqueue(call.Arguments[0].GetString()!);
            return null;
        });
        return (new BlazorCircuit(session, interop, Timeout), navigations);
    }

    private static bool IsInteractive(RenderedPage page) => page.Document.Find(e => e.Attribute("data-interactive") == "true") is not null;

    private static string? Refusal(RenderedPage page) =>
        page.Document.Find(e => e.Attribute("data-testid") == "refused")?.TextContent.Trim();
}
