using System.Globalization;
using BlazorChat.LoadTest.Abuse;
using BlazorChat.LoadTest.Chat;
using BlazorChat.LoadTest.Ladder;
using BlazorChat.LoadTest.Protocol;

namespace BlazorChat.LoadTest;

/// <summary>
/// A headless load client for BlazorChat: simulated people use the real pages over Blazor Server's own
/// protocol, no browser. Scenarios: "pairs", "hold", "abuse" and the ladder's.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        try
        {
            return await RunAsync(args);
        }
        catch (FormatException ex)
        {
            // A bad option value (see Number): said before anything starts.
            Console.Error.WriteLine(ex.Message);
            return 2;
        }
    }

    private static async Task<int> RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var arguments = ParseArguments([.. args.Where(a => a != "--quick" && a != "--chromium")]);
        if (arguments is not null && LadderRunner.ScenarioNames.Contains(arguments.GetValueOrDefault("scenario", "")))
        {
            return await RunLadderAsync(arguments, quick, args);
        }

        if (arguments is not null && arguments.GetValueOrDefault("scenario", "") == "abuse")
        {
            return await RunAbuseAsync(arguments, quick, args);
        }

        if (arguments is not null && arguments.GetValueOrDefault("scenario", "") == "files" && arguments.ContainsKey("url") && arguments.ContainsKey("pid"))
        {
            using var filesCancel = new CancellationTokenSource(TimeSpan.FromMinutes(Number(arguments, "max-minutes", 10)));
            return await Files.FilesScenario.RunAsync(
                new Uri(arguments["url"].TrimEnd('/') + "/"), Number(arguments, "pid", 0), Number(arguments, "size-mb", 100),
                Number(arguments, "big-mb", 1024), Number(arguments, "parallel", 10), args.Contains("--chromium"), filesCancel.Token);
        }

        if (arguments is not null && arguments.GetValueOrDefault("scenario", "") == "hold" && arguments.ContainsKey("url"))
        {
            return await HoldAsync(arguments);
        }

        if (arguments is null || arguments.GetValueOrDefault("scenario", "pairs") != "pairs" || !arguments.ContainsKey("url"))
        {
            Console.Error.WriteLine("""
                usage: BlazorChat.LoadTest --scenario ladder|circuits|latency|hub|typing|signin|pairing|history|browser [--quick] [--docs DIR] [--max-minutes 30]
                         starts the app itself (Release, own database and accounts) and measures; "ladder" runs them all
                         and writes DIR/benchmarks.md (default: the repository's docs/) with its charts.
                         --hub-rate N: the hub comparison's load in msg/s (default 500).
                       BlazorChat.LoadTest --scenario pairs --url http://127.0.0.1:PORT [--pairs N] [--messages M]
                       [--users "student{0:00}"] [--passwords "pass-{0}"] [--first 1] [--concurrency 8] [--timeout 30] [--interval 100]
                       BlazorChat.LoadTest --scenario files --url http://127.0.0.1:PORT --pid PID [--size-mb 100] [--big-mb 1024]
                       [--parallel 10] [--chromium]
                         file transfer through a running app (seeded accounts hamza, karam; hira, rushna with --chromium):
                         throughput each way, N at once, the server's memory during one big file, and Chromium end to end.
                       BlazorChat.LoadTest --scenario abuse [--quick] [--url http://127.0.0.1:PORT] [--max-minutes 20] [--tabs 1500]
                       [--heavy-messages 1000] [--heavy-tabs 2] [--picks 30] [--flood-seconds 60] [--oversize-seconds 10] [--iterations 10000]
                         one account or address at its worst, in phases, while a bystander pair chats; without --url it starts
                         the app itself (Release, its own limits, accounts user00001-user00012 hashed at --iterations).
                       BlazorChat.LoadTest --scenario hold --url http://127.0.0.1:PORT --people N [--seconds 600]
                         signs in user00001 … (password pw-1 …) and keeps their chat pages open, for profiling a server.
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
            SendInterval = TimeSpan.FromMilliseconds(Number(arguments, "interval", 100, least: 0)),
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

    private static async Task<int> HoldAsync(Dictionary<string, string> arguments)
    {
        var people = Number(arguments, "people", 100);
        var seconds = Number(arguments, "seconds", 600);
        await using var crowd = new Crowd(new Uri(arguments["url"].TrimEnd('/') + "/"), TimeSpan.FromSeconds(60));
        var elapsed = await crowd.GrowToAsync(people, CancellationToken.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"holding {crowd.Count - crowd.Failed.Count} chat pages (opened in {elapsed.TotalSeconds:0.0} s)"));
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        try
        {
            await Task.Delay(Timeout.Infinite, cancel.Token);
        }
        catch (OperationCanceledException)
        {
            // Time is up, or Ctrl+C: close the pages.
        }

        return crowd.Failed.Count == 0 ? 0 : 1;
    }

    private static async Task<int> RunLadderAsync(Dictionary<string, string> arguments, bool quick, string[] args)
    {
        var scenario = arguments["scenario"];
        var root = RepositoryRoot();
        var plan = quick ? LadderPlan.Quick : LadderPlan.Full;
        plan = plan with { HubRate = Number(arguments, "hub-rate", (int)plan.HubRate) };
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(Number(arguments, "max-minutes", 30)));
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Log(string line) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed:mm\\:ss}] {line}"));
        var results = await new LadderRunner(root, plan, Log).RunAsync(scenario, cancel.Token);
        var command = "dotnet run --project BlazorChat.LoadTest -c Release -- " + string.Join(' ', args);
        var docs = arguments.TryGetValue("docs", out var folder) ? folder : scenario == "ladder" ? Path.Combine(root, "docs") : null;
        if (docs is not null)
        {
            LadderReport.Write(docs, results, command, clock.Elapsed, quick);
            Log($"wrote {Path.Combine(docs, "benchmarks.md")}");
        }

        foreach (var failure in results.Failures)
        {
            Console.Error.WriteLine($"failed: {failure}");
        }

        return results.Failures.Count == 0 ? 0 : 1;
    }

    private static async Task<int> RunAbuseAsync(Dictionary<string, string> arguments, bool quick, string[] args)
    {
        var plan = quick ? AbusePlan.Quick : AbusePlan.Full;
        plan = plan with
        {
            Tabs = Number(arguments, "tabs", plan.Tabs),
            HeavyMessages = Number(arguments, "heavy-messages", plan.HeavyMessages),
            HeavyTabs = Number(arguments, "heavy-tabs", plan.HeavyTabs),
            Picks = Number(arguments, "picks", plan.Picks),
            Flood = TimeSpan.FromSeconds(Number(arguments, "flood-seconds", (int)plan.Flood.TotalSeconds)),
            Oversize = TimeSpan.FromSeconds(Number(arguments, "oversize-seconds", (int)plan.Oversize.TotalSeconds)),
        };
        // The lowest hash cost the app accepts by default, so that the sign-in flood meets the per-address limit
        // rather than this machine's CPU; --iterations 220000 is the production cost.
        var iterations = Number(arguments, "iterations", Accounts.LowestIterations, least: Accounts.LowestIterations);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(Number(arguments, "max-minutes", 20)));
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Log(string line) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed:mm\\:ss}] {line}"));
        IReadOnlyList<AbusePhase> phases;
        if (arguments.TryGetValue("url", out var url))
        {
            var baseAddress = new Uri(url.TrimEnd('/') + "/");
            using var diagnostics = new DiagnosticsClient(baseAddress);
            var measurable = await diagnostics.TryPingAsync(cancel.Token);
            Log(measurable ? "reading the server from /_diagnostics" : "no /_diagnostics (Benchmarking:Enabled): no server memory or CPU figures");
            phases = await new AbuseScenario(baseAddress, measurable ? diagnostics : null, plan, Log).RunAsync(cancel.Token);
        }
        else
        {
            var work = Path.Combine(Path.GetTempPath(), "blazorchat-abuse-" + Guid.NewGuid().ToString("N")[..8]);
            try
            {
                Log($"publishing BlazorChat (Release) to {work}");
                await AppProcess.PublishAsync(RepositoryRoot(), Path.Combine(work, "app"), cancel.Token);
                await using var app = await AppProcess.StartAsync(Path.Combine(work, "app"), Path.Combine(work, "data"),
                    new AppSettings { Users = AbusePlan.Accounts, HashIterations = iterations, RaiseAddressLimits = false },
                    TimeSpan.FromMinutes(3), cancel.Token);
                Log($"app pid {app.Pid} at {app.BaseAddress}");
                using var diagnostics = new DiagnosticsClient(app.BaseAddress);
                phases = await new AbuseScenario(app.BaseAddress, diagnostics, plan, Log).RunAsync(cancel.Token);
            }
            finally
            {
                try
                {
                    Directory.Delete(work, recursive: true);
                }
                catch (IOException)
                {
                    // A leftover temp folder is harmless.
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine("dotnet run --project BlazorChat.LoadTest -c Release -- " + string.Join(' ', args));
        Console.WriteLine();
        Console.Write(AbuseReport.Table(phases));
        return phases.Any(p => p.Failure is not null) ? 1 : 0;
    }

    /// <summary>The folder holding BlazorChat.sln: the working directory or one above it, else above this program.</summary>
    private static string RepositoryRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "BlazorChat.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new InvalidOperationException("BlazorChat.sln was not found above the working directory.");
    }

    /// <summary>Option --name as a whole number of at least least, or fallback when it is not given.</summary>
    /// <exception cref="FormatException">The value is not such a number; the message says which option and why.</exception>
    internal static int Number(IReadOnlyDictionary<string, string> arguments, string name, int fallback, int least = 1)
    {
        if (!arguments.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= least
            ? value
            : throw new FormatException($"--{name} must be a whole number of at least {least}, not \"{text}\".");
    }

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
