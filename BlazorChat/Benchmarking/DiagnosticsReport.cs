using System.Globalization;
using BlazorChat.Chat;

namespace BlazorChat.Benchmarking;

/// <summary>
/// What <c>GET /_diagnostics</c> returns: the process's own view of its memory, GC, CPU, threads and chats, and how
/// long the chat's events have waited for their tabs since it started (<see cref="DeliveryWaitMeter"/>).
/// </summary>
public sealed record DiagnosticsReport(
    DateTimeOffset Timestamp,
    ProcessReport Process,
    GcReport Gc,
    ThreadPoolReport ThreadPool,
    RouterCounts Router,
    CircuitReport Circuits,
    IReadOnlyList<WaitBucket> DeliveryWait)
{
    public static DiagnosticsReport Read(ChatRouter router, CircuitMeter circuits, DeliveryWaitMeter deliveryWait, TimeProvider time) =>
        new(time.GetUtcNow(), ProcessReport.Read(), GcReport.Read(), ThreadPoolReport.Read(), router.GetCounts(),
            new CircuitReport(circuits.Active, circuits.Connected), deliveryWait.Snapshot());
}

/// <summary>
/// Working set: resident memory (Environment.WorkingSet, VmRSS on Linux); peak: VmHWM; private bytes: resident
/// memory only this process uses (RssAnon on Linux, Process.PrivateMemorySize64 elsewhere). CPU times are
/// totals since the process started (user: its own code; system: the kernel working for it).
/// </summary>
public sealed record ProcessReport(
    long WorkingSetBytes,
    long? PeakWorkingSetBytes,
    long PrivateBytes,
    double CpuUserSeconds,
    double CpuSystemSeconds,
    double CpuTotalSeconds,
    int? OsThreads,
    int ProcessorCount,
    double UptimeSeconds)
{
    private const string StatusFile = "/proc/self/status";

    public static ProcessReport Read()
    {
        var status = ReadProcStatus();
        var cpu = Environment.CpuUsage;
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return new ProcessReport(
            Environment.WorkingSet,
            Kilobytes(status, "VmHWM"),
            Kilobytes(status, "RssAnon") ?? process.PrivateMemorySize64,
            cpu.UserTime.TotalSeconds,
            cpu.PrivilegedTime.TotalSeconds,
            cpu.TotalTime.TotalSeconds,
            status.TryGetValue("Threads", out var threads) && int.TryParse(threads, CultureInfo.InvariantCulture, out var count) ? count : null,
            Environment.ProcessorCount,
            (DateTime.Now - process.StartTime).TotalSeconds);
    }

    // Lines such as "VmRSS:\t  123456 kB"; empty where there is no /proc (not Linux).
    private static Dictionary<string, string> ReadProcStatus()
    {
        Dictionary<string, string> values = new(StringComparer.Ordinal);
        if (!File.Exists(StatusFile))
        {
            return values;
        }

        foreach (var line in File.ReadLines(StatusFile))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                values[line[..colon]] = line[(colon + 1)..].Trim();
            }
        }

        return values;
    }

    private static long? Kilobytes(Dictionary<string, string> status, string key) =>
        status.TryGetValue(key, out var value)
        && value.EndsWith(" kB", StringComparison.Ordinal)
        && long.TryParse(value.AsSpan(0, value.Length - 3), CultureInfo.InvariantCulture, out var kilobytes)
            ? kilobytes * 1024
            : null;
}

/// <summary>
/// Heap size as of the last collection; total allocated bytes and pause time since the process started.
/// </summary>
public sealed record GcReport(
    long HeapSizeBytes,
    long CommittedBytes,
    long FragmentedBytes,
    long TotalMemoryBytes,
    long TotalAllocatedBytes,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections,
    double TotalPauseMilliseconds,
    double PauseTimePercentage,
    bool IsServerGc)
{
    public static GcReport Read()
    {
        var info = GC.GetGCMemoryInfo();
        return new GcReport(
            info.HeapSizeBytes,
            info.TotalCommittedBytes,
            info.FragmentedBytes,
            GC.GetTotalMemory(forceFullCollection: false),
            GC.GetTotalAllocatedBytes(precise: false),
            GC.CollectionCount(0),
            GC.CollectionCount(1),
            GC.CollectionCount(2),
            GC.GetTotalPauseDuration().TotalMilliseconds,
            info.PauseTimePercentage,
            System.Runtime.GCSettings.IsServerGC);
    }
}

public sealed record ThreadPoolReport(int Threads, long PendingWorkItems, long CompletedWorkItems, int MinWorkerThreads)
{
    public static ThreadPoolReport Read()
    {
        ThreadPool.GetMinThreads(out var minWorkers, out _);
        return new ThreadPoolReport(ThreadPool.ThreadCount, ThreadPool.PendingWorkItemCount, ThreadPool.CompletedWorkItemCount, minWorkers);
    }
}

/// <summary>
/// Blazor's own gauges: circuits open on the server (<c>aspnetcore.components.circuit.active</c>) and those whose
/// browser is connected (<c>aspnetcore.components.circuit.connected</c>).
/// </summary>
public sealed record CircuitReport(long Active, long Connected);
