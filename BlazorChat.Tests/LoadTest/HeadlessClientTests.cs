using System.Diagnostics;
using BlazorChat.Components.Chat;
using BlazorChat.LoadTest.Chat;
using BlazorChat.LoadTest.Protocol;
using BlazorChat.Tests.EndToEnd;

namespace BlazorChat.Tests.LoadTest;

/// <summary>The real app on a loopback port with spare accounts student01–student20 (password "pass-N"), hashed cheaply.</summary>
public sealed class HeadlessClientFixture : IAsyncLifetime
{
    public BlazorChatServer Server { get; } = new(
        new Dictionary<string, string> { ["Accounts:PasswordHashIterations"] = "10000" },
        seedCsv: "username,password\n" + string.Concat(Enumerable.Range(1, 20).Select(i => $"student{i:00},pass-{i}\n")));

    public Task InitializeAsync()
    {
        Server.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

public sealed class HeadlessClientTests(HeadlessClientFixture fixture) : IClassFixture<HeadlessClientFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task RunAsync_OnePairFiveMessages_DeliversEveryMessageOnceInOrderWithLatencies()
    {
        var options = new PairsOptions { BaseAddress = fixture.Server.BaseAddress, Pairs = 1, Messages = 5, FirstUser = 1, Timeout = Timeout };

        var result = await new PairsScenario(options).RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(5, result.Sent);
        // Odd messages go from student01 to student02, even ones back: each arrives at the partner, once, in order.
        Assert.Equal([1, 3, 5], result.Received.Where(m => m.Recipient == "student02").Select(m => m.Sequence));
        Assert.Equal([2, 4], result.Received.Where(m => m.Recipient == "student01").Select(m => m.Sequence));
        Assert.All(result.Received, m => Assert.NotEqual(m.Sender, m.Recipient));
        Assert.Equal(5, result.Latency.Count);
        Assert.All(result.Received, m => Assert.True(m.ArrivalTimestamp > m.SentTimestamp));
        Assert.InRange(result.Latency.Max, 0.0, Timeout.TotalMilliseconds);
    }

    [Fact]
    public async Task ChatPage_IsTheOnlyLiveComponent_RouterLayoutAndHeadRenderWithThePage()
    {
        using var http = new BrowserHttp();
        var session = new BrowserSession(http, fixture.Server.BaseAddress);
        await session.SignInAsync("student05", "pass-5", CancellationToken.None);

        var (status, html) = await session.GetAsync(fixture.Server.BaseAddress, CancellationToken.None);
        var page = PrerenderedPage.Parse(html);

        Assert.Equal(System.Net.HttpStatusCode.OK, status);

        // Every server marker is a root component the circuit keeps for as long as the tab is open.
        var marker = Assert.Single(page.ServerMarkers);
        Assert.Equal("server", marker["type"]!.GetValue<string>());
        Assert.Equal("BlazorChat", page.Title);
    }

    [Fact]
    public async Task Send_NextMessageTypedBeforeTheEmptiedBoxIsAcknowledged_StillClearsTheBox()
    {
        // This browser takes 300 ms to acknowledge each render, so the next message is typed (and sent) before
        // the server hears that the emptied box was drawn. Judged against that stale record, "filled" then
        // "emptied" looked like no change and the box kept the sent text (seen in Chromium, 1 run in 3).
        using var http = new BrowserHttp();
        await using var sender = Student(http, 6);
        await using var partner = Student(http, 7);
        await PairAsync(sender, partner);
        sender.Circuit.AcknowledgeDelay = TimeSpan.FromMilliseconds(300);

        for (var i = 1; i <= 3; i++)
        {
            await sender.SendAsync(i, "hello", CancellationToken.None);
            await partner.WaitForReceivedAsync(i, CancellationToken.None);
            await sender.Circuit.WaitForAsync($"the box to be empty after message {i}",
                page => page.Document.Find(e => e.Attribute("id") == "message-input")?.Attribute("value") == "",
                CancellationToken.None, TimeSpan.FromSeconds(5));
        }
    }

    [Fact]
    public async Task LongChat_EachMessageReachesThePageOnce_AsTheHundredShownSlide()
    {
        // Only the newest 100 messages are drawn. Each new one must insert its own element and drop the oldest;
        // were the shown messages redrawn instead, their text would reach the page again and be counted again here.
        using var http = new BrowserHttp();
        await using var first = Student(http, 8);
        await using var second = Student(http, 9);
        await PairAsync(first, second);

        const int Messages = 130;
        for (var i = 1; i <= Messages; i++)
        {
            var (sender, partner) = i % 2 == 1 ? (first, second) : (second, first);
            await sender.SendAsync(i, "hello", CancellationToken.None);
            await partner.WaitForReceivedAsync((i + 1) / 2, CancellationToken.None);
            await Task.Delay(30); // each person sends about 15 a second, under the 20 a second limit
        }

        foreach (var person in (ChatPerson[])[first, second])
        {
            await person.Circuit.WaitForAsync($"{person.UserName}'s page to show the newest 100 messages",
                page => page.Document.Descendants().Count(e => e.Attribute("data-testid") == "message") == ChatPanel.VisibleMessages
                    && page.Document.Descendants().Last(e => e.Attribute("data-testid") == "message")
                        .Find(e => e.Attribute("class") == "message-text")?.TextContent.Contains($"|{Messages}|", StringComparison.Ordinal) == true,
                CancellationToken.None);
        }

        Assert.Equal(Messages / 2, first.ReceivedCount);
        Assert.Equal(Messages / 2, second.ReceivedCount);
        Assert.Null(first.Failure);
        Assert.Null(second.Failure);
    }

    // studentNN of the fixture's accounts, with their password.
    private ChatPerson Student(BrowserHttp http, int number) =>
        new($"student{number:00}", $"pass-{number}", http, fixture.Server.BaseAddress, Timeout);

    // Both sign in, open the chat page and pick each other, until both see the chat.
    private static async Task PairAsync(ChatPerson first, ChatPerson second)
    {
        foreach (var person in (ChatPerson[])[first, second])
        {
            await person.SignInAsync(CancellationToken.None);
            await person.OpenChatPageAsync(CancellationToken.None);
        }

        await first.PickAsync(second.UserName, CancellationToken.None);
        await second.PickAsync(first.UserName, CancellationToken.None);
        await first.WaitUntilChattingAsync(second.UserName, CancellationToken.None);
        await second.WaitUntilChattingAsync(first.UserName, CancellationToken.None);
    }

    [Fact]
    public async Task SignInAsync_WrongPassword_ThrowsSayingSo()
    {
        using var http = new BrowserHttp();
        await using var person = new ChatPerson("student03", "not-the-password", http, fixture.Server.BaseAddress, Timeout);

        var error = await Assert.ThrowsAsync<BlazorClientException>(
            () => person.SignInAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Contains("invalid username or password", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenChatPageAsync_UnknownJsInteropCall_FailsNamingItWithoutWaitingForTheTimeout()
    {
        using var http = new BrowserHttp();
        var interop = JsInterop.ForBlazorChat().Forget("blazorChat.timeZone");
        await using var person = new ChatPerson("student04", "pass-4", http, fixture.Server.BaseAddress, TimeSpan.FromSeconds(30), interop: interop);
        await person.SignInAsync(CancellationToken.None);
        var clock = Stopwatch.StartNew();

        // The page asks for the browser's time zone right after its first interactive render.
        var error = await Assert.ThrowsAsync<BlazorClientException>(async () =>
        {
            await person.OpenChatPageAsync(CancellationToken.None);
            await person.Circuit.WaitForAsync("something that never happens", _ => false, CancellationToken.None);
        });

        Assert.Contains("unknown JS function 'blazorChat.timeZone'", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task WaitForAsync_ConditionNeverMet_TimesOutNamingTheWait()
    {
        using var http = new BrowserHttp();
        await using var person = new ChatPerson("student05", "pass-5", http, fixture.Server.BaseAddress, TimeSpan.FromSeconds(2));
        await person.SignInAsync(CancellationToken.None);
        await person.OpenChatPageAsync(CancellationToken.None);

        var error = await Assert.ThrowsAsync<BlazorClientException>(
            () => person.Circuit.WaitForAsync("a message from nobody", _ => false, CancellationToken.None));

        Assert.Contains("Timed out after 2 s waiting for a message from nobody", error.Message, StringComparison.Ordinal);
    }
}
