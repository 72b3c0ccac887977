using System.Globalization;
using System.Net;
using BlazorChat.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Options;

namespace BlazorChat.Tests.EndToEnd;

/// <summary>A password hasher whose checks take a while (as PBKDF2 at its production cost does), counting how many run at once.</summary>
public sealed class SlowPasswordHasher(IOptions<PasswordHasherOptions> options) : PasswordHasher<UserAccount>(options)
{
    private int _running;
    private int _peak;

    public int Peak => Volatile.Read(ref _peak);

    public override PasswordVerificationResult VerifyHashedPassword(UserAccount user, string hashedPassword, string providedPassword)
    {
        var running = Interlocked.Increment(ref _running);
        int peak;
        while (running > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, running, peak) != peak)
        {
        }

        try
        {
            Thread.Sleep(200);
            return base.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }
}

/// <summary>
/// A burst of sign-ins takes at most the cores it is allowed, so everyone's chats keep one: one address's posts are
/// handled a few at a time, and password checks from all addresses together are too. The rest wait their turn and
/// are answered, not refused.
/// </summary>
public sealed class SignInConcurrencyTests
{
    private const int Posts = 8;

    [Theory]
    [InlineData(1, 8, 1)] // one address: its posts one at a time, however many checks the server may run
    [InlineData(8, 1, 1)] // all addresses together: one check at a time, however many one address may post
    public async Task ABurstOfSignIns_RunsNoMorePasswordChecksAtOnceThanAllowed(int atOncePerAddress, int checksAtOnce, int expectedPeak)
    {
        var (peak, statuses) = await PostAtOnceAsync(atOncePerAddress, checksAtOnce);

        Assert.Equal(expectedPeak, peak);
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task ABurstOfSignIns_WithRoomForMany_RunsSeveralChecksAtOnce()
    {
        // The control for the test above: the same burst does overlap when both limits allow it.
        var (peak, statuses) = await PostAtOnceAsync(atOncePerAddress: Posts, checksAtOnce: Posts);

        Assert.True(peak >= 2, $"the burst's password checks never overlapped (peak {peak})");
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    private static async Task<(int Peak, HttpStatusCode[] Statuses)> PostAtOnceAsync(int atOncePerAddress, int checksAtOnce)
    {
        await using var server = new BlazorChatServer(
            new Dictionary<string, string>
            {
                ["Accounts:PasswordHashIterations"] = "10000",
                ["Accounts:SignInsAtOncePerAddress"] = atOncePerAddress.ToString(CultureInfo.InvariantCulture),
                ["Accounts:MaxConcurrentPasswordChecks"] = checksAtOnce.ToString(CultureInfo.InvariantCulture),
            },
            configure: builder => builder.ConfigureTestServices(services =>
                services.AddSingleton<PasswordHasher<UserAccount>, SlowPasswordHasher>()));
        server.Start();
        var hasher = (SlowPasswordHasher)server.Services.GetRequiredService<PasswordHasher<UserAccount>>();
        var forms = await Task.WhenAll(Enumerable.Range(0, Posts).Select(_ => SignInAbuseTests.SignInForm.OpenAsync(server)));
        try
        {
            var responses = await Task.WhenAll(forms.Select((form, i) => form.PostAsync($"nobody{i}", "wrong")));
            return (hasher.Peak, [.. responses.Select(r => r.StatusCode)]);
        }
        finally
        {
            foreach (var form in forms)
            {
                form.Dispose();
            }
        }
    }
}
