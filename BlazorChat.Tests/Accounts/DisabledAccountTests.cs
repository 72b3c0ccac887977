using System.Net;
using BlazorChat.Accounts;
using BlazorChat.Components.SignIn;
using BlazorChat.Tests.EndToEnd;
using Microsoft.Playwright;
using SignInForm = BlazorChat.Tests.EndToEnd.SignInAbuseTests.SignInForm;

namespace BlazorChat.Tests.Accounts;

/// <summary>An operator disables an account with the command while the app runs: its cookie, its sign-in and its open tabs.</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class DisabledAccountTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Disable_RefusesTheSessionsCookie_AndSignInSaysTheAccountIsDisabledOnlyWithTheRightPassword()
    {
        await using var server = new BlazorChatServer(new Dictionary<string, string> { ["Accounts:PasswordHashIterations"] = "10000" });
        server.Start();
        using var client = server.CreateBrowserLikeClient();
        using (var form = await SignInForm.OpenAsync(client))
        {
            Assert.Equal(HttpStatusCode.Redirect, (await form.PostAsync("hira", "najeeb")).StatusCode);
        }

        Assert.Equal(0, await CommandAsync(server, "disable", "hira"));

        using var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.StartsWith("/signin", home.Headers.Location!.OriginalString, StringComparison.Ordinal);
        using var form2 = await SignInForm.OpenAsync(client);
        var right = await (await form2.PostAsync("hira", "najeeb")).Content.ReadAsStringAsync();
        var wrong = await (await form2.PostAsync("hira", "wrong")).Content.ReadAsStringAsync();
        Assert.Contains(WebUtility.HtmlEncode(SignInPage.DisabledMessage), right, StringComparison.Ordinal);
        Assert.DoesNotContain(WebUtility.HtmlEncode(SignInPage.DisabledMessage), wrong, StringComparison.Ordinal);
        Assert.Contains(SignInPage.InvalidCredentials, wrong, StringComparison.Ordinal);

        Assert.Equal(0, await CommandAsync(server, "enable", "hira"));
        Assert.Equal(HttpStatusCode.Redirect, (await form2.PostAsync("hira", "najeeb")).StatusCode);
    }

    [Fact]
    public async Task Disable_SignsOutTheAccountsOpenTabsWithinSeconds_AndEndsItsChat()
    {
        var (name, password) = BrowserFixture.Student(24);
        var partner = BrowserFixture.Student(23);
        await using var people = await fixture.SignInPairAsync((name, password), partner);
        try
        {
            Assert.Equal(0, await CommandAsync(fixture.Server, "disable", name));

            // The 30-second revalidation would be too late: the app's watcher closes the tabs within its 2-second round.
            await Assertions.Expect(people.First).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"), new() { Timeout = 15_000 });
            await Assertions.Expect(people.Second.GetByTestId("allowed-notice")).Not.ToBeVisibleAsync(new() { Timeout = 15_000 });
        }
        finally
        {
            await CommandAsync(fixture.Server, "enable", name);
        }
    }

    private static Task<int> CommandAsync(BlazorChatServer server, string verb, string name) =>
        AccountsCommand.RunAsync(
            ["accounts", verb, name, "--ConnectionStrings:BlazorChat", $"Data Source={Path.Combine(server.DataDirectory, "blazorchat.db")}"],
            new CommandConsole(new StringReader(""), new StringWriter(), new StringWriter(), InputRedirected: true));
}
