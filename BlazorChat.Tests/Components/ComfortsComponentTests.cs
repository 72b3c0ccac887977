using BlazorChat.Components.Comforts;
using BlazorChat.Components.Layout;
using Microsoft.AspNetCore.Http;

namespace BlazorChat.Tests.Components;

/// <summary>The two panes of the chat page, the app bar's dark mode switch and the account menu's settings.</summary>
public sealed class ComfortsComponentTests : ComponentTestContext
{
    [Fact]
    public async Task InAChat_ThePeopleListStaysBesideIt()
    {
        var (karam, _) = Fixture.Connect("karam");
        karam.Pick("hamza");
        var cut = RenderChatPage();

        await cut.ClickPeopleButtonAsync("Chat with karam");

        cut.WaitForAssertion(() => Assert.Equal("karam", cut.Find("[data-testid=chat-partner]").TextContent));
        var layout = cut.Find("[data-testid=chat-layout]");
        Assert.Contains("has-chat", layout.ClassList);
        Assert.NotNull(layout.QuerySelector(".chat-layout-people .users-panel"));
        Assert.NotNull(layout.QuerySelector(".chat-layout-chat .chat-panel[data-conversation]"));
    }

    [Fact]
    public void WithoutAChat_OnlyTheListIsShown()
    {
        var cut = RenderChatPage();

        var layout = cut.Find("[data-testid=chat-layout]");
        Assert.DoesNotContain("has-chat", layout.ClassList);
        Assert.Empty(cut.FindAll(".chat-panel"));
        Assert.NotNull(layout.QuerySelector(".users-panel"));
    }

    [Fact]
    public async Task InAChat_PeopleComingOnlineAndRequestsArriving_ShowInTheListBesideIt()
    {
        var (karam, _) = Fixture.Connect("karam");
        karam.Pick("hamza");
        var cut = RenderChatPage();
        await cut.ClickPeopleButtonAsync("Chat with karam");
        cut.WaitForElement(".chat-panel");
        Assert.Equal("offline", cut.Find("[data-user=zara] .user-status").TextContent);

        var (zara, _) = Fixture.Connect("zara");
        cut.WaitForAssertion(() => Assert.Equal("online", cut.Find("[data-user=zara] .user-status").TextContent));

        zara.Pick("hamza");
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-user=zara] [data-testid=wants-to-chat]")));
        Assert.NotNull(cut.Find(".chat-panel"));
    }

    [Fact]
    public void AppBar_HasTheDarkModeSwitch_AndTheAccountMenuWithItsSettings_Closed()
    {
        var cut = Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "page"))));

        var themeSwitch = cut.Find("#theme-switch");
        Assert.Equal("switch", themeSwitch.GetAttribute("role"));
        Assert.Equal("Dark mode", themeSwitch.GetAttribute("aria-label"));
        var button = cut.Find("#account-menu-button");
        Assert.Equal("false", button.GetAttribute("aria-expanded"));
        Assert.Equal("account-menu", button.GetAttribute("aria-controls"));
        Assert.Equal("hamza", button.QuerySelector("[data-testid=signed-in-user]")?.TextContent);
        var menu = cut.Find("#account-menu");
        Assert.True(menu.HasAttribute("hidden"));
        var settings = menu.QuerySelectorAll("label:has(input[type=checkbox][data-setting])")
            .Select(l => (l.TextContent.Trim(), l.QuerySelector("input")!.GetAttribute("data-setting"), l.QuerySelector("input")!.HasAttribute("checked")));
        Assert.Equal(
            [("Notify me", ComfortsMarkup.Notify, false), ("Show message text in notifications", ComfortsMarkup.ShowText, false), ("Mute sounds", ComfortsMarkup.Mute, false)],
            settings);
        Assert.NotNull(menu.QuerySelector("a[href='account/password']"));
        Assert.NotNull(cut.Find("main .app-content"));
    }

    [Theory]
    [InlineData("dark", "dark")]
    [InlineData("light", "light")]
    [InlineData("DARK", null)]
    [InlineData("\"><script>", null)]
    public void ChosenTheme_IsOnlyWhatTheSwitchWrites(string cookie, string? chosen)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Cookie = $"{AppTheme.CookieName}={Uri.EscapeDataString(cookie)}";

        Assert.Equal(chosen, AppTheme.Chosen(context));
    }

    [Fact]
    public void ChosenTheme_WithoutACookie_FollowsTheSystem() => Assert.Null(AppTheme.Chosen(new DefaultHttpContext()));
}
