using System.Net;
using System.Text.RegularExpressions;
using BlazorChat.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Options;

namespace BlazorChat.Tests.EndToEnd;

/// <summary>The app's password hasher, counting the passwords it checks: each is one PBKDF2 run.</summary>
public sealed class CountingPasswordHasher(IOptions<PasswordHasherOptions> options) : PasswordHasher<UserAccount>(options)
{
    private int _verified;

    public int Verified => Volatile.Read(ref _verified);

    public override PasswordVerificationResult VerifyHashedPassword(UserAccount user, string hashedPassword, string providedPassword)
    {
        Interlocked.Increment(ref _verified);
        return base.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }

    /// <summary>A server whose hasher is a <see cref="CountingPasswordHasher"/>, with cheap hashes.</summary>
    public static BlazorChatServer CreateServer(int signInsPerMinutePerAddress) => new(
        new Dictionary<string, string>
        {
            ["Accounts:PasswordHashIterations"] = "10000",
            ["Accounts:SignInsPerMinutePerAddress"] = signInsPerMinutePerAddress.ToString(System.Globalization.CultureInfo.InvariantCulture),
        },
        configure: builder => builder.ConfigureTestServices(services =>
            services.AddSingleton<PasswordHasher<UserAccount>, CountingPasswordHasher>()));

    public static CountingPasswordHasher Of(BlazorChatServer server) =>
        (CountingPasswordHasher)server.Services.GetRequiredService<PasswordHasher<UserAccount>>();
}

/// <summary>
/// The per-address sign-in limit holds for every way of writing the sign-in address that Kestrel and routing
/// accept, not only for the exact "/signin". Requests are written byte for byte, so nothing is normalised
/// on the way.
/// </summary>
public sealed partial class SignInSpellingTests
{
    /// <summary>Every spelling of the sign-in address tried: the ones routing takes to the page and some it does not.</summary>
    public static readonly string[] Spellings =
    [
        "/signin", "/signin/", "/SIGNIN", "/SignIn/", "/signin?x=1", "/signin/?returnUrl=%2F", "/SIGNIN?",
        "/%73ignin", "/sign%49n", "/%73%69%67%6E%69%6E", "/./signin", "/x/../signin", "/signin/.", "/signin/./", "/signin/x/..",
        "//signin", "/signin//", "///signin", "/signin;x=1", "/signin/;x=1", "/signin%2F", "/signin%2f", "/%2Fsignin",
        "/signin%20", "/signin.", "/s%C4%B1gnin", "/%C5%BFignin", "/signin%00", "/signin/x", "ABSOLUTE",
    ];

    /// <summary>These reach the sign-in page's password check when no limit stands in the way.</summary>
    private static readonly string[] ReachThePage =
    [
        "/signin", "/signin/", "/SIGNIN", "/SignIn/", "/signin?x=1", "/signin/?returnUrl=%2F", "/SIGNIN?",
        "/%73ignin", "/sign%49n", "/%73%69%67%6E%69%6E", "/./signin", "/x/../signin", "/signin/.", "/signin/./", "/signin/x/..",
        "ABSOLUTE",
    ];

    [Fact]
    public async Task EverySpelling_ThatRoutingAccepts_ReachesThePasswordCheckWithoutALimit()
    {
        await using var server = CountingPasswordHasher.CreateServer(signInsPerMinutePerAddress: 1000);
        server.Start();
        var hasher = CountingPasswordHasher.Of(server);
        var form = await OpenFormAsync(server);

        List<string> reached = [];
        foreach (var (spelling, i) in Spellings.Select((s, i) => (s, i)))
        {
            var before = hasher.Verified;
            await form.PostAsync(spelling, $"nobody{i}", "wrong");
            if (hasher.Verified > before)
            {
                reached.Add(spelling);
            }
        }

        Assert.Equal(ReachThePage, reached);
    }

    [Fact]
    public async Task EverySpelling_AfterTheAddressLimitIsSpent_ReachesNoPasswordCheck()
    {
        await using var server = CountingPasswordHasher.CreateServer(signInsPerMinutePerAddress: 3);
        server.Start();
        var hasher = CountingPasswordHasher.Of(server);
        var form = await OpenFormAsync(server);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(200, (await form.PostAsync("/signin", $"spender{i}", "wrong")).Status);
        }

        Assert.Equal(3, hasher.Verified);
        List<string> answers = [];
        foreach (var spelling in Spellings)
        {
            // The right password: a spelling that slipped through would sign in.
            var response = await form.PostAsync(spelling, "hamza", "123");
            answers.Add($"{spelling} {response.Status}");
        }

        Assert.True(3 == hasher.Verified, $"{hasher.Verified - 3} password(s) checked past the limit; answers: {string.Join(", ", answers)}");
        Assert.DoesNotContain(answers, a => a.EndsWith(" 302", StringComparison.Ordinal));
        Assert.All(ReachThePage, s => Assert.Contains($"{s} 429", answers));
    }

    private static async Task<SignInPoster> OpenFormAsync(BlazorChatServer server)
    {
        var cookies = new CookieContainer();
        using var client = server.CreateBrowserLikeClient(cookies);
        var html = await client.GetStringAsync("/signin");
        return new SignInPoster(server.BaseAddress, cookies.GetCookieHeader(server.BaseAddress), TokenPattern().Match(html).Groups["token"].Value);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"(?<token>[^\"]+)\"")]
    private static partial Regex TokenPattern();

    /// <summary>A browser's sign-in form (its antiforgery cookie and token), posted to any request target.</summary>
    private sealed record SignInPoster(Uri Server, string Cookie, string Token)
    {
        public Task<RawHttp.Response> PostAsync(string target, string userName, string password) =>
            RawHttp.SendAsync(
                Server,
                "POST",
                target == "ABSOLUTE" ? new Uri(Server, "/signin").ToString() : target,
                headers: [("Cookie", Cookie)],
                form: RawHttp.SignInForm(Token, userName, password));
    }
}
