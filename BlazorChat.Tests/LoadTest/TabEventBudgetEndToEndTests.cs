using System.Diagnostics;
using BlazorChat.LoadTest.Chat;
using BlazorChat.LoadTest.Protocol;
using BlazorChat.Tests.EndToEnd;

namespace BlazorChat.Tests.LoadTest;

public sealed class TabEventBudgetEndToEndTests
{
    [Fact]
    public async Task EventsFasterThanTheTabsBudget_AreAllHandled_NoFasterThanTheBudgetAllows()
    {
        // Two a second, four at once: twelve events need at least four seconds, however fast they are sent.
        await using var server = new BlazorChatServer(
            new Dictionary<string, string> { ["Accounts:PasswordHashIterations"] = "10000", ["Chat:MaxTabEventsPerSecond"] = "2" },
            seedCsv: "username,password\n" + string.Concat(Enumerable.Range(1, 12).Select(i => $"student{i:00},pass-{i}\n")));
        server.Start();
        using var http = new BrowserHttp();
        await using var person = new ChatPerson("student01", "pass-1", http, server.BaseAddress, TimeSpan.FromSeconds(30));
        await person.SignInAsync(CancellationToken.None);
        await person.OpenChatPageAsync(CancellationToken.None);
        await person.Circuit.WaitForAsync("the search box", page => SearchBox(page) is not null, CancellationToken.None);
        var clock = Stopwatch.StartNew();

        var handled = await person.Circuit.DispatchEventsAsync("twelve searches", page =>
            SearchBox(page) is { } search ? [.. Enumerable.Range(1, 12).Select(i => new BrowserEvent(search, new { value = $"student{i:00}" }, $"student{i:00}"))] : null,
            CancellationToken.None);
        await handled;

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(3.9), $"twelve events were handled in {clock.Elapsed.TotalSeconds:0.00} s");
        await person.Circuit.WaitForAsync("the last search's result", page =>
            page.Document.Find(e => e.Name == "ul" && e.Attribute("aria-label") == "People")?.TextContent.Contains("student12", StringComparison.Ordinal) == true
            && page.Document.Find(e => e.Name == "ul" && e.Attribute("aria-label") == "People")?.TextContent.Contains("student11", StringComparison.Ordinal) == false,
            CancellationToken.None);
        Assert.Null(person.Failure);
    }

    private static EventBinding? SearchBox(RenderedPage page) =>
        page.Document.Find(e => e.Name == "input" && e.Attribute("id") == "people-search")?.Event("input");
}
