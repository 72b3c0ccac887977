using System.Diagnostics.Metrics;
using BlazorChat.Accounts;
using BlazorChat.Chat;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BlazorChat.Benchmarks;

/// <summary>The real ChatRouter as the app builds it, on the system clock, with subscribers that do nothing.</summary>
internal static class RouterFactory
{
    /// <summary>A subscriber that returns at once, so what is measured is the router and its outboxes.</summary>
    public static readonly Func<ChatEvent, Task> Ignore = static _ => Task.CompletedTask;

    // As in the app; with no listener on its meter, delivery is not timed.
    private static readonly IMeterFactory MeterFactory = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    public static ChatRouter Create(int users)
    {
        var names = Enumerable.Range(0, users).Select(static i => $"user{i}").ToArray();
        // The app's defaults (transcript of 1,000, 4,000-character limit) except the per-user limits of 20 messages
        // a second and 30 chat requests a minute, which would refuse all but the first of a benchmark's.
        var options = new ChatOptions { MaxMessagesPerSecond = 0, MaxPicksPerMinute = 0 };
        return new ChatRouter(new AccountDirectory(names), Options.Create(options), TimeProvider.System, new ChatMetrics(MeterFactory), NullLogger<ChatRouter>.Instance);
    }

    public static string UserName(int index) => $"user{index}";
}
