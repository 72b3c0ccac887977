using BlazorChat.LoadTest.Abuse;
using BlazorChat.Tests.EndToEnd;
using Xunit.Abstractions;
using DiagnosticsClient = BlazorChat.LoadTest.Ladder.DiagnosticsClient;
using LadderAccounts = BlazorChat.LoadTest.Ladder.Accounts;

namespace BlazorChat.Tests.LoadTest;

public sealed class AbuseScenarioTests(ITestOutputHelper output)
{
    // Every phase, as small as it goes: 120 light "heavy" messages (100 tag characters each count under the limit),
    // then 120 of the heaviest allowed, so "Show earlier messages" appears.
    private static readonly AbusePlan Tiny = new()
    {
        Baseline = TimeSpan.FromSeconds(1),
        BystanderInterval = TimeSpan.FromMilliseconds(100),
        HeavyMessages = 120,
        TagCharacters = 100,
        HeavyTabs = 1,
        EarlierPresses = 2,
        Tabs = 5,
        TabConcurrency = 5,
        Picks = 2,
        Flood = TimeSpan.FromSeconds(2),
        FloodWorkers = 1,
        Oversize = TimeSpan.FromSeconds(1),
        Timeout = TimeSpan.FromSeconds(30),
    };

    [Fact]
    public async Task RunAsync_TinyPlan_ReportsEveryPhaseWithBystandersAndServerFigures_CountingRefusedSignIns()
    {
        // The setup's 9 sign-ins leave 3 of this address's 12 a minute: the flood's exact /signin posts meet 429s.
        await using var server = new BlazorChatServer(
            new Dictionary<string, string>
            {
                ["Accounts:PasswordHashIterations"] = "10000",
                ["Accounts:SignInsPerMinutePerAddress"] = "12",
                ["Benchmarking:Enabled"] = "true",
            },
            seedCsv: "username,password\n" + string.Concat(Enumerable.Range(1, AbusePlan.Accounts).Select(i => $"{LadderAccounts.UserName(i)},{LadderAccounts.Password(i)}\n")));
        server.Start();
        using var diagnostics = new DiagnosticsClient(server.BaseAddress);

        var phases = await new AbuseScenario(server.BaseAddress, diagnostics, Tiny, output.WriteLine)
            .RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(90));

        Assert.Equal(
            ["baseline", "b. many tabs", "c. presence storm", "a. heavy messages", "a. heaviest allowed messages", "a. show earlier", "d. sign-in flood", "e. over-long sends", "e. long searches"],
            phases.Select(p => p.Name));
        Assert.All(phases, p => Assert.Null(p.Failure));
        Assert.All(phases, p => Assert.NotNull(p.Server));
        var byName = phases.ToDictionary(p => p.Name);
        Assert.True(byName["baseline"].Bystander.Delivered > 0, $"the bystanders delivered nothing: {byName["baseline"].Bystander}");
        Assert.Contains("5 accepted", byName["b. many tabs"].Figures, StringComparison.Ordinal);
        Assert.Contains("2 picks + 2 withdrawals", byName["c. presence storm"].Figures, StringComparison.Ordinal);
        Assert.Contains("120 delivered", byName["a. heavy messages"].Figures, StringComparison.Ordinal);
        Assert.Contains("120 delivered", byName["a. heaviest allowed messages"].Figures, StringComparison.Ordinal);

        // The transcript keeps 2 MiB of the heaviest (66 of them), drawn 256 KiB (8) a step: the plan's 2 presses both go.
        Assert.Contains("(2, 2 presses)", byName["a. show earlier"].Done, StringComparison.Ordinal);
        Assert.Matches("^[1-9][0-9,]* answered 429", byName["d. sign-in flood"].Refusals);
        Assert.Equal("every send refused", byName["e. over-long sends"].Refusals);
        Assert.Equal("none refused", byName["e. long searches"].Refusals);
        Assert.Contains("| e. long searches |", AbuseReport.Table(phases), StringComparison.Ordinal);
    }
}
