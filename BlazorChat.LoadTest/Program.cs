using System.Globalization;
using BlazorChat.LoadTest.Chat;
using BlazorChat.LoadTest.Protocol;

namespace BlazorChat.LoadTest;

/// <summary>
/// A headless load client for BlazorChat: simulated people use the real pages over Blazor Server's own
/// protocol, no browser. Scenarios: "pairs".
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var arguments = ParseArguments(args);
        if (arguments is null || arguments.GetValueOrDefault("scenario", "pairs") != "pairs" || !arguments.ContainsKey("url"))
        {
            Console.Error.WriteLine("""
                usage: BlazorChat.LoadTest --scenario pairs --url http://127.0.0.1:PORT [--pairs N] [--messages M]
                       [--users "student{0:00}"] [--passwords "pass-{0}"] [--first 1] [--concurrency 8] [--timeout 30] [--interval 100]
                The accounts users(first) … users(first + 2N - 1) must exist with the given passwords.
                Each pair exchanges M messages in turn, one every interval ms; timeout (s) bounds every wait.
                """);
            return 2;
        }

        var options = new PairsOptions
        {
            BaseAddress = new Uri(arguments["url"].TrimEnd('/') + "/"),
            Pairs = Number(arguments, "pairs", 1),
            Messages = Number(arguments, "messages", 10),
            UserNameFormat = arguments.GetValueOrDefault("users", "student{0:00}"),
            PasswordFormat = arguments.GetValueOrDefault("passwords", "pass-{0}"),
            FirstUser = Number(arguments, "first", 1),
            StartConcurrency = Number(arguments, "concurrency", 8),
            Timeout = TimeSpan.FromSeconds(Number(arguments, "timeout", 30)),
            SendInterval = TimeSpan.FromMilliseconds(Number(arguments, "interval", 100)),
        };

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        try
        {
            var result = await new PairsScenario(options).RunAsync(cancel.Token);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"pairs={options.Pairs} messages={options.Messages} sent={result.Sent} delivered={result.Received.Count} " +
                $"setup={result.SetUp.TotalSeconds:0.0} s chatting={result.Chatting.TotalSeconds:0.0} s"));
            Console.WriteLine($"latency: {result.Latency}");
            return result.Received.Count == result.Sent ? 0 : 1;
        }
        catch (BlazorClientException ex)
        {
            Console.Error.WriteLine($"failed: {ex.Message}");
            return 1;
        }
    }

    private static int Number(Dictionary<string, string> arguments, string name, int fallback) =>
        arguments.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static Dictionary<string, string>? ParseArguments(string[] args)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                return null;
            }

            result[args[i][2..]] = args[++i];
        }

        return result;
    }
}
