namespace BlazorChat.Benchmarking;

/// <summary>Switches on what load tests read and compare against; off in normal use.</summary>
public sealed class BenchmarkingOptions
{
    public const string SectionName = "Benchmarking";

    /// <summary>Maps <c>/_diagnostics</c> and the bare SignalR hub <c>/_bench/hub</c>, for loopback callers only.</summary>
    public bool Enabled { get; set; }
}
