using System.Diagnostics;
using System.Globalization;

namespace BlazorChat.LoadTest.Ladder;

/// <summary>What one ladder command runs, full size or quick.</summary>
public sealed record LadderPlan
{
    public required IReadOnlyList<int> CircuitSteps { get; init; }

    public required int Pairs { get; init; }

    public required IReadOnlyList<double> Rates { get; init; }

    public required TimeSpan StepDuration { get; init; }

    public required int HistoryPairs { get; init; }

    public required IReadOnlyList<int> HistoryMessages { get; init; }

    public required int PairingPairs { get; init; }

    public int SignInPeople { get; init; } = 50;

    public int BrowserMessages { get; init; } = 50;

    public double HubRate { get; init; } = 500;

    /// <summary>The hub comparison's rounds, each a hub step and a Blazor step of this length.</summary>
    public int HubRounds { get; init; } = 4;

    public TimeSpan HubRoundDuration { get; init; } = TimeSpan.FromSeconds(5);

    public double KneeP99Milliseconds { get; init; } = 100;

    public TimeSpan CircuitsTimeBudget { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The machine (24 GiB) is shared with others: the ramp stops before the server would pass this.</summary>
    public long ServerMemoryBudgetBytes { get; init; } = 10L * 1024 * 1024 * 1024;

    public static LadderPlan Full { get; } = new()
    {
        CircuitSteps = [1_000, 2_500, 5_000, 10_000],
        Pairs = 500,
        Rates = [250, 500, 1_000, 2_000, 3_000, 4_000, 5_000, 6_000],
        StepDuration = TimeSpan.FromSeconds(10),
        HistoryPairs = 50,
        HistoryMessages = [50, 500],
        PairingPairs = 500,
    };

    public static LadderPlan Quick { get; } = new()
    {
        CircuitSteps = [100, 250],
        Pairs = 50,
        Rates = [100, 250, 500],
        StepDuration = TimeSpan.FromSeconds(4),
        HistoryPairs = 10,
        HistoryMessages = [50],
        PairingPairs = 50,
        BrowserMessages = 20,
        HubRounds = 2,
        HubRoundDuration = TimeSpan.FromSeconds(2),
    };

    /// <summary>Accounts the main app needs: the largest crowd plus a spare pair for the browser.</summary>
    public int Accounts => Math.Max(CircuitSteps.Max(), Math.Max(Pairs, Math.Max(HistoryPairs, PairingPairs)) * 2) + 2;
}

/// <summary>
/// Publishes and starts the app as a child process, runs the chosen scenarios against it, stops it by pid (also
/// on failure), and for the whole ladder writes docs/benchmarks.md with its charts.
/// </summary>
public sealed class LadderRunner(string repositoryRoot, LadderPlan plan, Action<string> log)
{
    public static readonly string[] ScenarioNames = ["ladder", "circuits", "latency", "hub", "typing", "signin", "pairing", "history", "browser"];

    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The ladder's second server: every scenario but the circuits ramp.</summary>
    private const string AfterCircuits = "after-circuits";

    public async Task<LadderResults> RunAsync(string scenario, CancellationToken cancellationToken)
    {
        var all = scenario == "ladder";
        var results = new LadderResults { LatencyPairs = plan.Pairs };
        var work = Path.Combine(Path.GetTempPath(), "blazorchat-ladder-" + Guid.NewGuid().ToString("N")[..8]);
        var publish = Path.Combine(work, "app");
        try
        {
            log($"publishing BlazorChat (Release) to {publish}");
            await AppProcess.PublishAsync(repositoryRoot, publish, cancellationToken);

            if (all)
            {
                // The circuits ramp leaves gigabytes for the GC to walk and reclaim; the message figures get a
                // server of their own, as a chat server that had not just dropped 10,000 tabs would be.
                await MainAppAsync("circuits", false, publish, Path.Combine(work, "circuits"), results, cancellationToken);
                await MainAppAsync(AfterCircuits, true, publish, Path.Combine(work, "main"), results, cancellationToken);
            }
            else if (scenario != "signin")
            {
                await MainAppAsync(scenario, all, publish, Path.Combine(work, "main"), results, cancellationToken);
            }

            if (all || scenario == "signin")
            {
                await Guard(results, "signin", async () =>
                {
                    log($"starting a second app with {plan.SignInPeople} accounts hashed at {Accounts.RealIterations:N0} iterations");
                    await using var app = await AppProcess.StartAsync(publish, Path.Combine(work, "signin"),
                        new AppSettings { Users = plan.SignInPeople, HashIterations = Accounts.RealIterations }, TimeSpan.FromMinutes(3), cancellationToken);
                    using var diagnostics = new DiagnosticsClient(app.BaseAddress);
                    results.SignIn = await new Scenarios(app.BaseAddress, diagnostics, log).SignInAsync(plan.SignInPeople, Accounts.RealIterations, cancellationToken);
                });
            }
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

        return results;
    }

    private async Task MainAppAsync(string scenario, bool all, string publish, string folder, LadderResults results, CancellationToken cancellationToken)
    {
        var accounts = scenario is "ladder" or "circuits" ? plan.Accounts : Math.Max(plan.Pairs, Math.Max(plan.HistoryPairs, plan.PairingPairs)) * 2 + 2;
        log($"starting the app with {accounts:N0} accounts (hashing them takes a while)");
        var clock = Stopwatch.StartNew();
        await using var app = await AppProcess.StartAsync(publish, folder, new AppSettings { Users = accounts }, TimeSpan.FromMinutes(10), cancellationToken);
        log($"app pid {app.Pid} at {app.BaseAddress} after {clock.Elapsed.TotalSeconds:0} s");
        using var diagnostics = new DiagnosticsClient(app.BaseAddress);
        var scenarios = new Scenarios(app.BaseAddress, diagnostics, log);
        await using var crowd = new Crowd(app.BaseAddress, ClientTimeout);

        if ((all && scenario != AfterCircuits) || scenario == "circuits")
        {
            await Guard(results, "circuits", async () =>
                results.Circuits = await scenarios.CircuitsAsync(crowd, plan.CircuitSteps, plan.CircuitsTimeBudget, plan.ServerMemoryBudgetBytes, cancellationToken));
            if (results.Circuits?.Failure is { } failure)
            {
                results.Failures.Add($"circuits: {failure}");
            }

            await crowd.DropFailedAsync(CancellationToken.None);
            await crowd.ShrinkToAsync(plan.Pairs * 2, CancellationToken.None);
        }

        if (all || scenario == "latency")
        {
            await Guard(results, "latency", async () =>
            {
                await crowd.DropFailedAsync(cancellationToken);
                var (steps, pairing) = await scenarios.LatencyLadderAsync(crowd, plan.Pairs, plan.Rates, plan.StepDuration, plan.KneeP99Milliseconds, cancellationToken);
                results.LatencyLadder = steps;
                results.Pairing = pairing;
            });
        }

        if (all || scenario == "hub")
        {
            await Guard(results, "hub", async () =>
            {
                await crowd.DropFailedAsync(cancellationToken);
                var comparison = await scenarios.CompareWithHubAsync(crowd, plan.Pairs, plan.HubRate, plan.HubRoundDuration, plan.HubRounds, cancellationToken);
                results.HubComparison = comparison;
                log(FormattableString.Invariant($"hub, {plan.HubRounds} rounds pooled: {Scenarios.Describe(comparison.Hub)}"));
                log(FormattableString.Invariant($"blazor at the hub's load, {plan.HubRounds} rounds pooled: {Scenarios.Describe(comparison.Blazor)}"));
                log(FormattableString.Invariant($"p50 ratio {comparison.P50Ratio:0.00}x; by round {string.Join(", ", comparison.RoundRatios.Select(x => x.ToString("0.00", CultureInfo.InvariantCulture)))}"));
            });
        }

        if (all || scenario == "typing")
        {
            await Guard(results, "typing", async () =>
            {
                await crowd.DropFailedAsync(cancellationToken);
                var comparison = await scenarios.CompareTypingAsync(crowd, plan.Pairs, plan.HubRate, plan.HubRoundDuration, plan.HubRounds, cancellationToken);
                results.TypingComparison = comparison;
                log(FormattableString.Invariant($"without typing, {plan.HubRounds} rounds pooled: {Scenarios.Describe(comparison.Without)}"));
                log(FormattableString.Invariant($"typing before each message, {plan.HubRounds} rounds pooled: {Scenarios.Describe(comparison.With)}"));
            });
        }

        if (all || scenario == "history")
        {
            await Guard(results, "history", async () =>
            {
                await crowd.DropFailedAsync(cancellationToken);
                await crowd.ShrinkToAsync(plan.HistoryPairs * 2, cancellationToken);
                results.History = await scenarios.HistoryAsync(crowd, plan.HistoryPairs, plan.HistoryMessages, cancellationToken);
            });
        }

        if (all || scenario == "pairing")
        {
            await Guard(results, "pairing", async () =>
            {
                await crowd.GrowToAsync(plan.PairingPairs * 2, cancellationToken);
                var samples = new List<PairingSample>();
                for (var round = 0; round < 3; round++)
                {
                    samples.Add(new PairingSample(plan.PairingPairs, crowd.Count, await crowd.PairAsync(plan.PairingPairs, cancellationToken)));
                    log(string.Create(CultureInfo.InvariantCulture, $"pairing: {plan.PairingPairs} pairs in {samples[^1].Elapsed.TotalSeconds:0.00} s ({samples[^1].PerSecond:0}/s)"));
                    await crowd.EndChatsAsync(plan.PairingPairs, cancellationToken);
                }

                results.Pairing = [.. results.Pairing ?? [], .. samples];
            });
        }

        if (all || scenario == "browser")
        {
            await crowd.ShrinkToAsync(0, cancellationToken);
            await Guard(results, "browser", async () =>
            {
                results.Browser = await BrowserScenario.RunAsync(app.BaseAddress, accounts - 1, plan.BrowserMessages, cancellationToken);
                log($"browser: {results.Browser.Latency}");
            });
        }
    }

    /// <summary>Runs one scenario; a failure is recorded and the ladder goes on with the next.</summary>
    private async Task Guard(LadderResults results, string name, Func<Task> run)
    {
        try
        {
            await run();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            results.Failures.Add($"{name}: {ex.GetType().Name}: {ex.Message}");
            log($"{name} failed: {ex.Message}");
        }
    }
}
