using System.Diagnostics;
using System.Globalization;
using System.Net;
using BlazorChat.LoadTest.Protocol;

namespace BlazorChat.LoadTest.Abuse;

/// <summary>How one spelling of the sign-in path answered the flood.</summary>
public sealed record FloodFigures(string Path, int Checked, int Refused, int Other, string? OtherExample, TimeSpan Elapsed)
{
    /// <summary>Attempts answered with a password check (the page's "Invalid username or password") per minute.</summary>
    public double CheckedPerMinute => Checked / Elapsed.TotalMinutes;
}

/// <summary>
/// One address posting the sign-in form as fast as the server answers, to several spellings of its path at once,
/// each attempt with a name of its own (so no per-name limit applies and no account is locked): an unknown name
/// costs the server one password hash all the same. A 429 pauses that poster for a second, as a patient attacker
/// would, so the count of refusals stays small and the server's time goes to what it accepts.
/// </summary>
public static class SignInFlood
{
    /// <summary>What a router may take for the sign-in page: exact, trailing slash, case, query string, dot segment.</summary>
    public static readonly string[] Spellings = ["/signin", "/signin/", "/SIGNIN/", "/signin?flood=1", "/signin/."];

    public static async Task<IReadOnlyList<FloodFigures>> RunAsync(Uri baseAddress, TimeSpan duration, int workersPerPath, CancellationToken cancellationToken)
    {
        using var http = new BrowserHttp(TimeSpan.FromSeconds(60));
        var session = new BrowserSession(http, baseAddress);
        var (status, html) = await session.GetAsync(new Uri(baseAddress, "signin"), cancellationToken);
        if (status != HttpStatusCode.OK)
        {
            throw new BlazorClientException($"GET /signin answered {(int)status}.");
        }

        var form = PrerenderedPage.ReadForm(html);
        var (userField, passwordField) = (form.InputName("username"), form.InputName("password"));
        var names = 0;
        var clock = Stopwatch.StartNew();
        return await Task.WhenAll(Spellings.Select(async path =>
        {
            int @checked = 0, refused = 0, other = 0;
            string? otherExample = null;
            var target = new Uri(baseAddress, path);
            await Task.WhenAll(Enumerable.Range(0, workersPerPath).Select(async _ =>
            {
                while (clock.Elapsed < duration && !cancellationToken.IsCancellationRequested)
                {
                    var name = string.Create(CultureInfo.InvariantCulture, $"flood{Interlocked.Increment(ref names):000000}");
                    var (answer, body) = await session.PostFormAsync(target, [.. form.HiddenFields, new(userField, name), new(passwordField, "not-a-password")], cancellationToken);
                    if (answer == HttpStatusCode.OK && body.Contains(BrowserSession.InvalidCredentials, StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref @checked);
                    }
                    else if (answer == HttpStatusCode.TooManyRequests)
                    {
                        Interlocked.Increment(ref refused);
                        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                    }
                    else
                    {
                        Interlocked.Increment(ref other);
                        otherExample ??= ((int)answer).ToString(CultureInfo.InvariantCulture);
                        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                    }
                }
            }));
            return new FloodFigures(path, @checked, refused, other, otherExample, clock.Elapsed);
        }));
    }
}
