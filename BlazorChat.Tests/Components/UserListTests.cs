using BlazorChat.Chat;
using BlazorChat.Cluster;
using BlazorChat.Components.Chat;
using BlazorChat.Components.Users;

namespace BlazorChat.Tests.Components;

public sealed class UserListTests : ComponentTestContext
{
    // The list as ChatPage draws it for the tab, once it has read the people.
    private IRenderedComponent<UserList> RenderFor(ChatTab tab) =>
        RenderFor(tab, ChatViewState.From(tab.GetSnapshotAsync().GetAwaiter().GetResult()));

    private IRenderedComponent<UserList> RenderFor(ChatTab tab, ChatViewState state)
    {
        var cut = Render<UserList>(p => p
            .Add(c => c.Connection, tab)
            .Add(c => c.State, state));
        cut.WaitForState(() => cut.Instance.IsLoaded);
        return cut;
    }

    private async Task<ChatTab> HamzaAsync() => (await Fixture.JoinAsync("hamza")).Tab;

    [Fact]
    public async Task Render_ShowsEachOtherUsersStatus()
    {
        Fixture.Connect("karam");
        var (rushna, _) = Fixture.Connect("rushna");
        var (hira, _) = Fixture.Connect("hira");
        rushna.Pick("zara");
        hira.Pick("karam");
        var (karam2, _) = Fixture.Connect("karam");
        karam2.Pick("hira");
        var hamza = await HamzaAsync();

        var cut = RenderFor(hamza);

        string Status(string user) => cut.Find($"[data-user={user}] .user-status").TextContent;
        Assert.Equal("in a chat", Status("karam"));
        Assert.Equal("in a chat", Status("hira"));
        Assert.Equal("waiting for someone", Status("rushna"));
        Assert.Equal("offline", Status("zara"));
        Assert.Empty(cut.FindAll("[data-user=hamza]"));
    }

    [Fact]
    public async Task Render_OrdersRequestsFirstThenOnlineThenOffline()
    {
        var (zara, _) = Fixture.Connect("zara");
        Fixture.Connect("rushna");
        var hamza = await HamzaAsync();
        zara.Pick("hamza");

        var cut = RenderFor(hamza);

        var order = cut.FindAll(".user-row").Select(r => r.GetAttribute("data-user"));
        Assert.Equal(["zara", "rushna", "hassaan", "hira", "karam"], order);
        Assert.Single(cut.FindAll("[data-testid=wants-to-chat]"));
    }

    // hamza's list among student01 … student20: enough people for the search box.
    private async Task<IRenderedComponent<UserList>> RenderForHamzaAmongTwentyStudentsAsync()
    {
        string[] many = [.. Enumerable.Range(1, 20).Select(i => $"student{i:00}"), "hamza"];
        var fixture = new Tests.Chat.RouterFixture(users: many);
        return RenderFor((await fixture.JoinAsync("hamza")).Tab);
    }

    [Fact]
    public async Task Render_WithManyUsers_OffersASearchThatFilters()
    {
        var cut = await RenderForHamzaAmongTwentyStudentsAsync();

        await cut.Find("input").InputAsync(new ChangeEventArgs { Value = "student1" });

        Assert.Equal(
            ["student10", "student11", "student12", "student13", "student14", "student15", "student16", "student17", "student18", "student19"],
            cut.FindAll(".user-row").Select(r => r.GetAttribute("data-user")));
    }

    [Fact]
    public async Task Search_ForgedLongerThanAnyName_IsCutToANamesLengthAndNeverDrawnBack()
    {
        var cut = await RenderForHamzaAmongTwentyStudentsAsync();

        // The box's maxlength holds a browser to 32 characters; a raw client sends what it likes.
        await cut.Find("input").InputAsync(new ChangeEventArgs { Value = "student1" + new string('x', 60_000) });

        var kept = "student1" + new string('x', Data.UserNameRules.MaxLength - 8);
        Assert.Equal(kept, cut.Find("input").GetAttribute("value"));
        Assert.Equal($"Nobody matches “{kept}”.", cut.Find("p.mt-4").TextContent.Trim());
        Assert.True(cut.Markup.Length < 10_000, $"the list drew {cut.Markup.Length:N0} characters");
    }

    [Fact]
    public async Task ClickChat_PicksThatUser()
    {
        var (_, karamEvents) = Fixture.Connect("karam");
        var hamza = await HamzaAsync();
        var cut = RenderFor(hamza);

        await cut.ClickPeopleButtonAsync("Chat with karam");

        Assert.Equal("hamza", (await karamEvents.WaitForAsync<ChatRequestReceived>()).From);
        Assert.Equal("karam", (await hamza.GetSnapshotAsync()).Pick);
    }

    [Fact]
    public async Task PeopleClick_IsTrustedNoFurtherThanATypedName()
    {
        // The browser says which person a click was for; a forged click is no more than a name typed into search.
        var (karam, _) = Fixture.Connect("karam");
        var hamza = await HamzaAsync();
        var cut = RenderFor(hamza);
        var list = cut.Find(".users-panel");

        await list.TriggerEventAsync("onpeopleclick", new PeopleClickEventArgs { Person = new string('k', 10_000), Action = PeopleClickEventArgs.Chat });
        await list.TriggerEventAsync("onpeopleclick", new PeopleClickEventArgs { Person = "karam", Action = "delete-account" });
        await list.TriggerEventAsync("onpeopleclick", new PeopleClickEventArgs { Person = null, Action = null });
        Assert.Null((await hamza.GetSnapshotAsync()).Pick);
        Assert.Empty(Services.GetRequiredService<MudBlazor.ISnackbar>().ShownSnackbars); // not even looked up

        await list.TriggerEventAsync("onpeopleclick", new PeopleClickEventArgs { Person = "nobody-here", Action = PeopleClickEventArgs.Chat });
        Assert.Null((await hamza.GetSnapshotAsync()).Pick);
        Assert.Contains(Services.GetRequiredService<MudBlazor.ISnackbar>().ShownSnackbars, s => s.Message == "There is no account named nobody-here.");

        await list.TriggerEventAsync("onpeopleclick", new PeopleClickEventArgs { Person = "KARAM", Action = PeopleClickEventArgs.Chat });
        Assert.Equal("karam", (await hamza.GetSnapshotAsync()).Pick, StringComparer.OrdinalIgnoreCase);
        Assert.Equal("hamza", karam.GetSnapshot().IncomingRequests.Single(), StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Render_WhileWaiting_ShowsWaitingAndAWithdrawButton()
    {
        var hamza = await HamzaAsync();
        await hamza.PickAsync("karam");

        var cut = RenderFor(hamza);
        await cut.Find("[data-testid=waiting] button").ClickAsync(new MouseEventArgs());

        Assert.Contains("waiting for karam", cut.Find("[data-testid=waiting]").TextContent, StringComparison.Ordinal);
        Assert.Null((await hamza.GetSnapshotAsync()).Pick);
    }

    [Fact]
    public async Task Withdraw_InATabThatStillShowsAnOlderRequest_LeavesTheNewerPickFromAnotherTab()
    {
        var hamza = await HamzaAsync();
        var (otherTab, _) = Fixture.Connect("hamza");
        await hamza.PickAsync("karam");
        var cut = RenderFor(hamza);
        otherTab.Pick("hira");

        await cut.Find("[data-testid=waiting] button").ClickAsync(new MouseEventArgs());
        await cut.ClickPeopleButtonAsync("Withdraw request to karam");

        Assert.Equal("hira", (await hamza.GetSnapshotAsync()).Pick);
    }

    [Fact]
    public async Task Pick_FasterThanTheLimit_SaysSoAndKeepsTheRequest()
    {
        Fixture.Options.MaxPicksPerMinute = 1;
        var hamza = await HamzaAsync();
        var cut = RenderFor(hamza);
        await cut.ClickPeopleButtonAsync("Chat with karam");

        await cut.ClickPeopleButtonAsync("Chat with hira");

        Assert.Equal("karam", (await hamza.GetSnapshotAsync()).Pick);
        Assert.Contains(Services.GetRequiredService<MudBlazor.ISnackbar>().ShownSnackbars,
            s => s.Message == "You are changing requests very fast. Wait a moment, then try again.");
    }

    [Fact]
    public async Task Render_MarkupInAUserName_IsShownAsText()
    {
        const string name = "<img src=x onerror=alert(1)>";
        var fixture = new Tests.Chat.RouterFixture(users: ["hamza", name]);
        var (hamza, _) = await fixture.JoinAsync("hamza");

        var cut = RenderFor(hamza, ChatViewState.From(hamza.Initial));

        Assert.Equal(name, cut.Find(".user-name").TextContent);
        Assert.Empty(cut.FindAll(".user-list img"));
    }

    [Fact]
    public async Task Render_WithAThousandAccounts_ListsOnlyAPageOnlineFirstAndSaysHowManyInAll()
    {
        string[] campus = [.. Enumerable.Range(0, 1000).Select(i => $"person{i:0000}")];
        var fixture = new Tests.Chat.RouterFixture(users: campus);
        var (me, _) = await fixture.JoinAsync("person0000");
        fixture.Router.Connect("person0999", _ => Task.CompletedTask);

        var cut = RenderFor(me, ChatViewState.From(me.Initial));

        var rows = cut.FindAll(".user-row").Select(r => r.GetAttribute("data-user")).ToList();
        Assert.Equal(UserList.PageSize, rows.Count);
        Assert.Equal("person0999", rows[0]);
        Assert.Equal([.. Enumerable.Range(1, UserList.PageSize - 1).Select(i => $"person{i:0000}")], rows.Skip(1));
        Assert.Equal("Showing 20 of 999. Search to find someone else.", cut.Find("[data-testid=more-people]").TextContent.Trim());

        await cut.ClickPeopleButtonAsync("Show more");
        Assert.Equal(2 * UserList.PageSize, cut.FindAll(".user-row").Count);
        Assert.Equal("Showing 40 of 999. Search to find someone else.", cut.Find("[data-testid=more-people]").TextContent.Trim());

        await cut.Find("input").InputAsync(new ChangeEventArgs { Value = "person05" });

        Assert.Equal(2 * UserList.PageSize, cut.FindAll(".user-row").Count);
        Assert.Equal("Showing 40 of 100. Search to find someone else.", cut.Find("[data-testid=more-people]").TextContent.Trim());
        await cut.Find("input").InputAsync(new ChangeEventArgs { Value = "person0555" });
        Assert.Equal(["person0555"], cut.FindAll(".user-row").Select(r => r.GetAttribute("data-user")));
        Assert.Empty(cut.FindAll("[data-testid=more-people]"));
    }

    [Fact]
    public async Task RefreshPeople_RendersWhenTheListChangedAndNotOtherwise()
    {
        var hamza = await HamzaAsync();
        var cut = RenderFor(hamza);
        Assert.Equal("offline", cut.Find("[data-user=karam] .user-status").TextContent);
        var renders = cut.RenderCount;

        await cut.InvokeAsync(() => cut.Instance.RefreshPeopleAsync());
        Assert.Equal(renders, cut.RenderCount);

        Fixture.Connect("karam");
        await cut.InvokeAsync(() => cut.Instance.RefreshPeopleAsync());

        Assert.True(cut.RenderCount > renders, "the list did not render after someone came online");
        Assert.Equal("online", cut.Find("[data-user=karam] .user-status").TextContent);
    }
}
