using System.Net;
using System.Text.RegularExpressions;
using BlazorChat.Components.Account;
using BlazorChat.Tests.EndToEnd;
using SignInForm = BlazorChat.Tests.EndToEnd.SignInAbuseTests.SignInForm;

namespace BlazorChat.Tests.Accounts;

/// <summary>A signed-in person changes their own password on /account/password, over real HTTP.</summary>
public sealed partial class ChangePasswordTests
{
    [Fact]
    public async Task ChangePassword_NeedsTheCurrentOneAndTheNewOneTwice_ThenSignsOutOnlyTheOtherSessions()
    {
        await using var server = new BlazorChatServer(new Dictionary<string, string> { ["Accounts:PasswordHashIterations"] = "10000" });
        server.Start();
        using var here = await SignedInClientAsync(server, "hira", "najeeb");
        using var elsewhere = await SignedInClientAsync(server, "hira", "najeeb");

        Assert.Contains(ChangePasswordPage.WrongCurrent, await ChangeAsync(here, "not-it", "fresh-pw", "fresh-pw"), StringComparison.Ordinal);
        Assert.Contains(ChangePasswordPage.Mismatch, await ChangeAsync(here, "najeeb", "fresh-pw", "fresh-pW"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await elsewhere.GetAsync("/")).StatusCode);

        Assert.Contains(ChangePasswordPage.ChangedMessage, await ChangeAsync(here, "najeeb", "fresh-pw", "fresh-pw"), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await here.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await elsewhere.GetAsync("/")).StatusCode);
        using var anew = server.CreateBrowserLikeClient();
        using var form = await SignInForm.OpenAsync(anew);
        Assert.Equal(HttpStatusCode.OK, (await form.PostAsync("hira", "najeeb")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await form.PostAsync("hira", "fresh-pw")).StatusCode);
    }

    [Fact]
    public async Task ChangePassword_SignedOut_IsSentToSignIn()
    {
        await using var server = new BlazorChatServer();
        server.Start();
        using var client = server.CreateBrowserLikeClient();

        using var response = await client.GetAsync("/account/password");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    private static async Task<HttpClient> SignedInClientAsync(BlazorChatServer server, string name, string password)
    {
        var client = server.CreateBrowserLikeClient();
        using var form = await SignInForm.OpenAsync(client);
        Assert.Equal(HttpStatusCode.Redirect, (await form.PostAsync(name, password)).StatusCode);
        return client;
    }

    private static async Task<string> ChangeAsync(HttpClient client, string current, string fresh, string again)
    {
        var page = await client.GetStringAsync("/account/password");
        using var response = await client.PostAsync("/account/password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "password",
            ["__RequestVerificationToken"] = TokenPattern().Match(page).Groups["token"].Value,
            ["Input.Current"] = current,
            ["Input.New"] = fresh,
            ["Input.Again"] = again,
        }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"(?<token>[^\"]+)\"")]
    private static partial Regex TokenPattern();
}
