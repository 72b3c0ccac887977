using System.Globalization;
using System.Text;

namespace BlazorChat.LoadTest.Abuse;

/// <summary>The abuse run's figures as log lines and as the Markdown table docs/security.md keeps.</summary>
public static class AbuseReport
{
    public static string Describe(AbusePhase phase) =>
        phase.Failure is { } failure
            ? $"FAILED: {failure}"
            : string.Join("; ", new[] { phase.Done, $"bystanders {phase.Bystander}", Memory(phase.Server), Cpu(phase.Server), $"refusals: {phase.Refusals}", phase.Figures }
                .Where(part => part.Length > 0));

    public static string Table(IReadOnlyList<AbusePhase> phases)
    {
        var table = new StringBuilder()
            .AppendLine("| phase | what was done | bystander p50 / p99 | server resident (RSS) | GC heap after a forced GC | server CPU | refusals | figures |")
            .AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var phase in phases)
        {
            var server = phase.Server;
            table.AppendLine(string.Join(" | ",
                $"| {phase.Name}",
                phase.Failure is null ? phase.Done : $"{phase.Done}: failed: {phase.Failure}",
                phase.Bystander.ToString(),
                server is null ? "n/a" : Change(server.Before.WorkingSetBytes, server.After.WorkingSetBytes),
                server is null ? "n/a" : Change(server.Before.ManagedBytes, server.AfterCollected.ManagedBytes),
                server is null ? "n/a" : FormattableString.Invariant($"{server.CpuCores:0.00} cores"),
                phase.Refusals,
                phase.Figures + " |"));
        }

        return table.ToString();
    }

    private static string Memory(ServerFigures? server) => server is null ? "" : FormattableString.Invariant(
        $"server resident {Change(server.Before.WorkingSetBytes, server.After.WorkingSetBytes)}, heap {Change(server.Before.ManagedBytes, server.AfterCollected.ManagedBytes)}");

    private static string Cpu(ServerFigures? server) => server is null ? "" : FormattableString.Invariant(
        $"server CPU {server.CpuCores:0.00} cores over {server.Elapsed.TotalSeconds:0.0} s");

    private static string Change(long before, long after) => string.Create(CultureInfo.InvariantCulture,
        $"{Megabytes(before)} → {Megabytes(after)} ({(after >= before ? "+" : "−")}{Megabytes(Math.Abs(after - before))})");

    private static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:N0} MB");
}
