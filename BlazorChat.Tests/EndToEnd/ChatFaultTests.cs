using System.Diagnostics;
using BlazorChat.Hosting;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static BlazorChat.Tests.EndToEnd.BrowserFixture;
using static BlazorChat.Tests.EndToEnd.ChatBrowserActions;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.Tests.EndToEnd;

/// <summary>
/// What happens to a chat when a tab closes, reloads or is opened twice, and when a partner's network drops.
/// Each test has its own spare accounts (student03–student13, student21–22) and ends its chat, so tests sharing the server
/// do not meet.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class ChatFaultTests(BrowserFixture fixture, ITestOutputHelper output)
{
    /// <summary>Chat:LeaveGrace's default: how long a closed tab keeps its chat, so a reload does not end it.</summary>
    private static readonly TimeSpan LeaveGrace = TimeSpan.FromSeconds(3);

    /// <summary>The server's ClientTimeoutInterval; the browser's server timeout is set to the same 10 s.</summary>
    private static readonly TimeSpan DropDetection = BlazorChatExtensions.ClientTimeout;

    /// <summary>How often the browser pings the server (js/blazorchat.js), so the server hears of a drop 5-10 s after it.</summary>
    private static readonly TimeSpan BrowserKeepAlive = TimeSpan.FromSeconds(5);

    private Uri BaseAddress => fixture.Server.BaseAddress;

    [Fact]
    public async Task PartnerClosesTheTab_TheOtherSideIsToldWithinFiveSecondsAndTheChatEnds()
    {
        // A tab closing sends Blazor's close notice (the disconnect beacon). Closing a whole browser may not
        // (Chromium skipped it in about a third of runs): that counts as a dropped connection (docs/security.md, "Known limits").
        var (stayer, stayerPassword) = Student(3);
        var (closer, closerPassword) = Student(4);
        await using var stayerContext = await fixture.Browser.NewContextAsync();
        await using var closerContext = await fixture.Browser.NewContextAsync();
        var staying = await fixture.SignInAsync(stayerContext, stayer, stayerPassword);
        var closing = await fixture.SignInAsync(closerContext, closer, closerPassword);
        await BrowserFixture.PairAsync(staying, stayer, closing, closer);
        await SendAsync(closing, "bye for now");
        await Expect(MessageTexts(staying)).ToHaveTextAsync(["bye for now"]);

        var clock = Stopwatch.StartNew();
        await closing.CloseAsync(new() { RunBeforeUnload = true });

        var told = await WaitForNoticeAsync(staying, $"{closer} left. The chat has ended.", clock, TimeSpan.FromSeconds(5));
        output.WriteLine($"tab closed: partner told after {told.TotalSeconds:F2} s");

        await Expect(staying.GetByTestId("notice")).ToHaveTextAsync($"{closer} left. The chat has ended.");
        await Expect(staying.Locator("#message-input")).ToHaveCountAsync(0);
        await Expect(staying.Locator($"[data-user={closer}]")).ToHaveAttributeAsync("data-status", "Offline");
        await Expect(staying.GetByRole(AriaRole.Button, new() { Name = $"Chat with {closer}" })).ToBeVisibleAsync();
        Assert.True(told >= LeaveGrace, $"the partner was told after {told}, before the {LeaveGrace} a reload is allowed");
    }

    [Fact]
    public async Task Reload_MidChat_ShowsTheSamePartnerAndTranscriptAndTheChatGoesOn()
    {
        await using var people = await fixture.SignInPairAsync(Student(7), Student(8));
        var (steady, reloading) = (people.First, people.Second);
        await SendAsync(steady, "one");
        await SendAsync(reloading, "two");
        await SendAsync(steady, "three");
        string[] before = ["one", "two", "three"];
        await Expect(MessageTexts(reloading)).ToHaveTextAsync(before);
        var sequences = await reloading.Locator("[data-testid=message]").EvaluateAllAsync<string[]>("ms => ms.map(m => m.querySelector('[data-sequence]').dataset.sequence)");
        Assert.Equal(["1", "2", "3"], sequences);

        await reloading.ReloadAsync();
        await BrowserFixture.WaitUntilLiveAsync(reloading);

        await Expect(reloading.GetByTestId("chat-partner")).ToHaveTextAsync("student07");
        await Expect(MessageTexts(reloading)).ToHaveTextAsync(before);
        await Expect(reloading.Locator("[data-testid=message] .message-sender")).ToHaveTextAsync(["student07", "student08", "student07"]);
        Assert.Equal(sequences, await reloading.Locator("[data-testid=message]").EvaluateAllAsync<string[]>("ms => ms.map(m => m.querySelector('[data-sequence]').dataset.sequence)"));
        await Expect(reloading.Locator(".message.mine .message-text")).ToHaveTextAsync(["two"]);

        // The old tab's circuit is gone; outlast the leave grace so a wrongly scheduled departure would show.
        await Task.Delay(LeaveGrace + TimeSpan.FromSeconds(1));
        await SendAsync(steady, "still there?");
        await SendAsync(reloading, "yes");
        string[] after = [.. before, "still there?", "yes"];
        await Expect(MessageTexts(reloading)).ToHaveTextAsync(after);
        await Expect(MessageTexts(steady)).ToHaveTextAsync(after);
        await Expect(steady.GetByTestId("notice")).ToHaveCountAsync(0);
        await Expect(steady.GetByTestId("chat-partner")).ToHaveTextAsync("student08");

        await EndChatAsync(steady);
    }

    [Fact]
    public async Task SameUserInTwoTabs_BothShowTheChatAndEitherCanSend_AndAThirdUserCannotJoin()
    {
        await using var twoTabsContext = await fixture.Browser.NewContextAsync();
        await using var partnerContext = await fixture.Browser.NewContextAsync();
        await using var thirdContext = await fixture.Browser.NewContextAsync();
        var laptop = await fixture.SignInAsync(twoTabsContext, "student09", "pass-9");
        var phone = await OpenTabAsync(twoTabsContext, BaseAddress);
        var partner = await fixture.SignInAsync(partnerContext, "student10", "pass-10");
        var third = await fixture.SignInAsync(thirdContext, "student11", "pass-11");

        await BrowserFixture.PairAsync(laptop, "student09", partner, "student10");
        await Expect(laptop.GetByTestId("chat-partner")).ToHaveTextAsync("student10");
        await Expect(phone.GetByTestId("chat-partner")).ToHaveTextAsync("student10");

        await SendAsync(laptop, "from the laptop");
        await SendAsync(phone, "from the phone");
        await SendAsync(partner, "got both");
        string[] chat = ["from the laptop", "from the phone", "got both"];
        foreach (var page in (IPage[])[laptop, phone, partner])
        {
            await Expect(MessageTexts(page)).ToHaveTextAsync(chat);
        }

        await Expect(phone.Locator(".message.mine .message-text")).ToHaveTextAsync(["from the laptop", "from the phone"]);

        // A third person sees the two as busy; picking one of them is only a standing request.
        await Expect(third.Locator("[data-user=student09]")).ToHaveAttributeAsync("data-status", "InChat");
        await Expect(third.Locator("[data-user=student10]")).ToHaveAttributeAsync("data-status", "InChat");
        await third.GetByRole(AriaRole.Button, new() { Name = "Chat with student09" }).ClickAsync();
        await Expect(third.GetByTestId("waiting")).ToContainTextAsync("waiting for student09");

        await SendAsync(partner, "just us two");
        await SendAsync(phone, "just us two, yes");
        string[] later = [.. chat, "just us two", "just us two, yes"];
        foreach (var page in (IPage[])[laptop, phone, partner])
        {
            await Expect(MessageTexts(page)).ToHaveTextAsync(later);
            await Expect(page.GetByTestId("chat-partner")).ToHaveCountAsync(1);
        }

        await Expect(laptop.GetByTestId("chat-partner")).ToHaveTextAsync("student10");
        await Expect(phone.GetByTestId("chat-partner")).ToHaveTextAsync("student10");
        await Expect(partner.GetByTestId("chat-partner")).ToHaveTextAsync("student09");
        await Expect(third.GetByTestId("waiting")).ToContainTextAsync("waiting for student09");
        await Expect(third.Locator("[data-testid=message]")).ToHaveCountAsync(0);
        await Expect(third.Locator("#message-input")).ToHaveCountAsync(0);

        await third.GetByRole(AriaRole.Button, new() { Name = "Withdraw request to student09" }).ClickAsync();
        await Expect(third.GetByTestId("waiting")).ToHaveCountAsync(0);
        await EndChatAsync(phone);
        await Expect(laptop.Locator("#message-input")).ToHaveCountAsync(0);
        await Expect(partner.GetByTestId("notice")).ToHaveTextAsync("student09 ended the chat.");
    }

    [Fact]
    public async Task IdleTab_StaysConnectedPastTheServersClientTimeout()
    {
        // The server drops a browser it has not heard from in 10 s; the browser must ping often enough that
        // a quiet chat is never cut. SignalR's default browser ping (15 s) would be cut here.
        await using var quietContext = await fixture.Browser.NewContextAsync();
        await using var partnerContext = await fixture.Browser.NewContextAsync();
        var hubSocketClosed = false;
        var pingsSent = 0;
        quietContext.Page += (_, page) => page.WebSocket += (_, socket) =>
        {
            if (socket.Url.Contains("/_blazor", StringComparison.Ordinal))
            {
                socket.Close += (_, _) => hubSocketClosed = true;
                socket.FrameSent += (_, frame) =>
                {
                    if (frame.Binary is [0x02, 0x91, 0x06])
                    {
                        // A length-prefixed MessagePack SignalR ping: [6].
                        Interlocked.Increment(ref pingsSent);
                    }
                };
            }
        };
        var quiet = await fixture.SignInAsync(quietContext, "student21", "pass-21");
        var partner = await fixture.SignInAsync(partnerContext, "student22", "pass-22");
        await BrowserFixture.PairAsync(quiet, "student21", partner, "student22");

        // Long enough for more than one client timeout of true silence after the pairing's renders.
        var idle = DropDetection * 2.5;
        var pingsBefore = Volatile.Read(ref pingsSent);
        await Task.Delay(idle);
        var pingsWhileIdle = Volatile.Read(ref pingsSent) - pingsBefore;
        output.WriteLine($"idle for {idle.TotalSeconds:F0} s: the tab sent {pingsWhileIdle} pings; hub socket closed: {hubSocketClosed}");

        Assert.False(hubSocketClosed, "the quiet tab's circuit connection was closed while it sat idle");
        Assert.True(pingsWhileIdle >= 2, $"the quiet tab sent {pingsWhileIdle} pings in {idle}; it should ping every 5 s");
        await Expect(quiet.Locator("#components-reconnect-modal")).ToBeHiddenAsync();
        await SendAsync(partner, "still there?");
        await Expect(MessageTexts(quiet)).ToHaveTextAsync(["still there?"]);
        await EndChatAsync(quiet);
    }

    [Fact]
    public async Task PartnerNetworkDropsAndComesBackWithinTheGrace_ChatResumesWithEveryMessageOnceInOrder()
    {
        await using var people = await fixture.SignInPairAsync(Student(12), Student(13));
        var (sender, dropping, droppingContext) = (people.First, people.Second, people.SecondContext);
        await SendAsync(dropping, "before the drop");
        await Expect(MessageTexts(sender)).ToHaveTextAsync(["before the drop"]);
        var reconnecting = dropping.Locator("#components-reconnect-modal");
        TimeSpan noticed, online, back;

        var clock = Stopwatch.StartNew();
        await droppingContext.SetOfflineAsync(true);
        try
        {
            await SendAsync(sender, "sent before anyone noticed 1");
            await SendAsync(sender, "sent before anyone noticed 2");

            // Blazor notices only when its keep-alive times out; wait until the tab itself shows it is reconnecting.
            await Expect(reconnecting).ToBeVisibleAsync(new() { Timeout = (float)(DropDetection + TimeSpan.FromSeconds(15)).TotalMilliseconds });
            noticed = clock.Elapsed;
            await SendAsync(sender, "sent while reconnecting 1");
            await SendAsync(sender, "sent while reconnecting 2");
            await SendAsync(sender, "sent while reconnecting 3");

            // The server times out on its own clock (10 s after it last heard from the tab). Stay offline until it
            // surely has, so the router's reconnect grace is what keeps the chat, not the drop going unnoticed.
            var untilServerNoticed = DropDetection + TimeSpan.FromSeconds(3) - clock.Elapsed;
            if (untilServerNoticed > TimeSpan.Zero)
            {
                await Task.Delay(untilServerNoticed);
            }

            await SendAsync(sender, "sent after the server noticed");
        }
        finally
        {
            // Also when the test fails: an offline tab cannot say it closed, and would hold the chat for the whole grace.
            await droppingContext.SetOfflineAsync(false);
            online = clock.Elapsed;
        }

        await Expect(reconnecting).ToBeHiddenAsync(new() { Timeout = 30_000 });
        back = clock.Elapsed;
        output.WriteLine($"network drop: the tab showed it was reconnecting after {noticed.TotalSeconds:F1} s offline; "
            + $"back online at {online.TotalSeconds:F1} s, reconnected {(back - online).TotalSeconds:F1} s later");

        string[] expected =
        [
            "before the drop", "sent before anyone noticed 1", "sent before anyone noticed 2",
            "sent while reconnecting 1", "sent while reconnecting 2", "sent while reconnecting 3", "sent after the server noticed",
        ];
        await Expect(MessageTexts(dropping)).ToHaveTextAsync(expected);
        var sequences = await dropping.Locator("[data-testid=message]").EvaluateAllAsync<long[]>("ms => ms.map(m => Number(m.querySelector('[data-sequence]').dataset.sequence))");
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], sequences);
        await Expect(dropping.GetByTestId("chat-partner")).ToHaveTextAsync("student12");
        await Expect(sender.GetByTestId("notice")).ToHaveCountAsync(0);

        await SendAsync(dropping, "I am back");
        await Expect(MessageTexts(sender)).ToHaveTextAsync([.. expected, "I am back"]);
        await Expect(MessageTexts(dropping)).ToHaveTextAsync([.. expected, "I am back"]);

        await EndChatAsync(sender);
    }

    [Fact]
    public async Task PartnerNetworkDropsForGood_TheOtherSideIsToldTheyLeftOnceTheGraceRunsOut()
    {
        // Longer than the spread of the server's drop detection, so a partner told without the grace (5-11 s: the
        // server checks for silence about once a second) and one told after it (13-19.5 s) cannot overlap.
        var grace = TimeSpan.FromSeconds(8);
        await using var server = new BlazorChatServer(new Dictionary<string, string> { ["Chat:ReconnectGrace"] = "00:00:08" });
        server.Start();
        await using var people = await BrowserFixture.SignInPairAsync(fixture.Browser, server.BaseAddress, ("karam", "naveed"), ("zara", "open, sesame"));
        var (karam, zara, zaraContext) = (people.First, people.Second, people.SecondContext);
        await SendAsync(zara, "my train is entering a tunnel");
        await Expect(MessageTexts(karam)).ToHaveTextAsync(["my train is entering a tunnel"]);

        var clock = Stopwatch.StartNew();
        await zaraContext.SetOfflineAsync(true);

        var limit = DropDetection + grace + TimeSpan.FromSeconds(10);
        var told = await WaitForNoticeAsync(karam, "zara left. The chat has ended.", clock, limit);
        output.WriteLine($"network drop for good (Chat:ReconnectGrace {grace.TotalSeconds:F0} s): partner told after {told.TotalSeconds:F1} s");

        await Expect(karam.GetByTestId("notice")).ToHaveTextAsync("zara left. The chat has ended.");
        await Expect(karam.Locator("#message-input")).ToHaveCountAsync(0);
        var earliest = DropDetection - BrowserKeepAlive + grace - TimeSpan.FromSeconds(1);
        Assert.True(told >= earliest, $"the partner was told after {told}, before the server's drop detection and the reconnect grace of {grace}");

        // When she is back she is told why the chat is over (she did not end it), and is free to pick again.
        await zaraContext.SetOfflineAsync(false);
        await Expect(zara.Locator("#components-reconnect-modal")).ToBeHiddenAsync(new() { Timeout = 30_000 });
        await Expect(zara.GetByTestId("notice")).ToHaveTextAsync("You were away too long. The chat with karam has ended.");
        await Expect(zara.Locator("#message-input")).ToHaveCountAsync(0);
        await Expect(karam.Locator("[data-user=zara]")).ToHaveAttributeAsync("data-status", "Online");
    }

    /// <summary>
    /// Waits until the page shows the notice and returns the time since <paramref name="clock"/> started. Polls every
    /// 50 ms, so the figure is not rounded up to Playwright's assertion polling interval (up to a second).
    /// </summary>
    private static async Task<TimeSpan> WaitForNoticeAsync(IPage page, string text, Stopwatch clock, TimeSpan timeout)
    {
        var remaining = timeout - clock.Elapsed;
        try
        {
            await page.WaitForFunctionAsync(
                "text => document.querySelector('[data-testid=notice]')?.textContent.includes(text) === true",
                text,
                new() { Timeout = (float)Math.Max(remaining.TotalMilliseconds, 1), PollingInterval = 50 });
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"\"{text}\" was not shown within {timeout.TotalSeconds:F0} s", ex);
        }

        return clock.Elapsed;
    }
}
