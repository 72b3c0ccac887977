using BlazorChat.Tests.Accounts;
using BlazorChat.Tests.Chat;

namespace BlazorChat.Tests.Components;

/// <summary>The people list's Block and Unblock, with the real router and a migrated database.</summary>
public sealed class PeopleBlockTests : ComponentTestContext
{
    private async Task<AccountsTestDatabase> UseDatabaseAsync()
    {
        var database = await AccountsTestDatabase.CreateAsync();
        foreach (var name in RouterFixture.DefaultUsers)
        {
            await database.AddUserAsync(name, "not-a-hash");
        }

        BlockDatabase = database.Factory;
        return database;
    }

    [Fact]
    public async Task Block_FromTheList_ShowsThemBlockedWithUnblock_AndUnblockBringsBackChat()
    {
        await using var database = await UseDatabaseAsync();
        Fixture.Connect("karam");
        var cut = RenderChatPage();

        await cut.ClickPeopleButtonAsync("Block karam");

        cut.WaitForAssertion(() => Assert.Equal("blocked", cut.Find("[data-user=karam] .user-status").TextContent));
        Assert.Empty(cut.FindAll("[aria-label='Chat with karam']"));
        Assert.Single(cut.FindAll("[aria-label='Unblock karam']"));
        Assert.Contains("You blocked karam.", cut.Markup, StringComparison.Ordinal);
        Assert.True(Router.IsBlocking("hamza", "karam"));

        await cut.ClickPeopleButtonAsync("Unblock karam");

        cut.WaitForAssertion(() => Assert.Equal("online", cut.Find("[data-user=karam] .user-status").TextContent));
        Assert.Single(cut.FindAll("[aria-label='Chat with karam']"));
        Assert.Single(cut.FindAll("[aria-label='Block karam']"));
        Assert.False(Router.IsBlocking("hamza", "karam"));
    }

    [Fact]
    public async Task Block_SomeoneWhoseRequestIsShown_RemovesTheirRequest()
    {
        await using var database = await UseDatabaseAsync();
        var (karam, _) = Fixture.Connect("karam");
        var cut = RenderChatPage();
        karam.Pick("hamza");
        cut.WaitForElement("[data-user=karam] [data-testid=wants-to-chat]");

        await cut.ClickPeopleButtonAsync("Block karam");

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=wants-to-chat]")));
        Assert.Equal("hamza", karam.GetSnapshot().Pick);
    }

    [Fact]
    public async Task TheBlockedPersonsList_ShowsTheBlockerOffline_WithNothingElse()
    {
        Router.LoadBlocks([("karam", "hamza")]);
        Fixture.Connect("karam");

        var cut = RenderChatPage();

        Assert.Equal("offline", cut.Find("[data-user=karam] .user-status").TextContent);
        Assert.Single(cut.FindAll("[aria-label='Chat with karam']"));
        Assert.Single(cut.FindAll("[aria-label='Block karam']"));
        Assert.DoesNotContain("blocked", cut.Find("[data-user=karam]").TextContent, StringComparison.OrdinalIgnoreCase);
        await Task.CompletedTask;
    }
}
