using Microsoft.Extensions.Options;

namespace BlazorChat.Chat;

public sealed class ChatOptions
{
    public const string SectionName = "Chat";

    /// <summary>
    /// Longest message accepted, in characters as a reader counts them (an emoji is one), where a character made of more
    /// than ten code points counts once more for each one past them (see <see cref="MessageText.IsLongerThan"/>).
    /// </summary>
    public int MaxMessageLength { get; set; } = 4000;

    /// <summary>How long a user whose last tab closed stays in their chat, so that a reload does not end it.</summary>
    public TimeSpan LeaveGrace { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a user whose connection dropped (but whose tab is still open) may take to come back.</summary>
    public TimeSpan ReconnectGrace { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Most recent messages of a conversation kept for a reload or a second tab.</summary>
    public int TranscriptLimit { get; set; } = 1000;

    /// <summary>
    /// Most bytes of message text a conversation keeps (two per UTF-16 unit, as held in memory), and so at most what
    /// each of its tabs holds and can draw: 2 MiB is 1,000 messages of 1,000 characters, or 64 of the longest.
    /// </summary>
    public long TranscriptBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>Messages one user may send per second, across all their tabs (also the burst allowed); 0 turns the limit off.</summary>
    public int MaxMessagesPerSecond { get; set; } = 20;

    /// <summary>
    /// Chat requests one user may make per minute, across all their tabs (also the burst allowed); 0 turns the limit
    /// off. Each request tells the person picked and redraws everyone's people list. Answering a request is not counted.
    /// </summary>
    public int MaxPicksPerMinute { get; set; } = 30;

    /// <summary>
    /// Calls one tab (circuit) may make to the server per second: its clicks, key presses and input, answers to the
    /// server's JavaScript calls (twice this at once); faster calls are read more slowly, none is dropped. 0 turns
    /// the budget off. Above <see cref="MaxMessagesPerSecond"/>, so that it never slows a person down.
    /// </summary>
    public int MaxTabEventsPerSecond { get; set; } = 30;

    /// <summary>
    /// Chat tabs one account may have open at once (every tab is a live page on the server that every status change
    /// reaches); a tab beyond it is refused with a message.
    /// </summary>
    public int MaxTabsPerUser { get; set; } = 20;

    /// <summary>
    /// Chat tabs one client address (an IPv6 /64) may have open at once, across all accounts; 0 turns the limit off.
    /// High, since a campus or a mobile network puts many people behind one address.
    /// </summary>
    public int MaxTabsPerAddress { get; set; } = 1000;

    /// <summary>
    /// The shortest time between two redraws of one tab's people list: a burst of status changes is shown once it
    /// settles (the last change always is), not once per change. Zero redraws on every change.
    /// </summary>
    public TimeSpan PeopleRefreshInterval { get; set; } = TimeSpan.FromMilliseconds(500);
}

public sealed class ChatOptionsValidator : IValidateOptions<ChatOptions>
{
    public ValidateOptionsResult Validate(string? name, ChatOptions options)
    {
        List<string> failures = [];
        if (options.MaxMessageLength is < 1 or > 100_000)
        {
            failures.Add($"Chat:MaxMessageLength must be between 1 and 100000 (was {options.MaxMessageLength}).");
        }

        if (options.LeaveGrace < TimeSpan.Zero || options.LeaveGrace > TimeSpan.FromMinutes(10))
        {
            failures.Add($"Chat:LeaveGrace must be between 00:00:00 and 00:10:00 (was {options.LeaveGrace}).");
        }

        if (options.ReconnectGrace < TimeSpan.Zero || options.ReconnectGrace > TimeSpan.FromMinutes(30))
        {
            failures.Add($"Chat:ReconnectGrace must be between 00:00:00 and 00:30:00 (was {options.ReconnectGrace}).");
        }

        if (options.TranscriptLimit is < 10 or > 100_000)
        {
            failures.Add($"Chat:TranscriptLimit must be between 10 and 100000 (was {options.TranscriptLimit}).");
        }

        if (options.TranscriptBytes < 64 * 1024 || options.TranscriptBytes > 1024L * 1024 * 1024)
        {
            failures.Add($"Chat:TranscriptBytes must be between 65536 (64 KiB) and 1073741824 (1 GiB) (was {options.TranscriptBytes}).");
        }

        if (options.MaxMessagesPerSecond is < 0 or > 10_000)
        {
            failures.Add($"Chat:MaxMessagesPerSecond must be between 0 (no limit) and 10000 (was {options.MaxMessagesPerSecond}).");
        }

        if (options.MaxPicksPerMinute is < 0 or > 10_000)
        {
            failures.Add($"Chat:MaxPicksPerMinute must be between 0 (no limit) and 10000 (was {options.MaxPicksPerMinute}).");
        }

        if (options.MaxTabEventsPerSecond is < 0 or > 10_000)
        {
            failures.Add($"Chat:MaxTabEventsPerSecond must be between 0 (no limit) and 10000 (was {options.MaxTabEventsPerSecond}).");
        }

        if (options.MaxTabsPerUser is < 1 or > 1000)
        {
            failures.Add($"Chat:MaxTabsPerUser must be between 1 and 1000 (was {options.MaxTabsPerUser}).");
        }

        if (options.MaxTabsPerAddress is < 0 or > 1_000_000)
        {
            failures.Add($"Chat:MaxTabsPerAddress must be between 0 (no limit) and 1000000 (was {options.MaxTabsPerAddress}).");
        }

        if (options.PeopleRefreshInterval < TimeSpan.Zero || options.PeopleRefreshInterval > TimeSpan.FromSeconds(10))
        {
            failures.Add($"Chat:PeopleRefreshInterval must be between 00:00:00 and 00:00:10 (was {options.PeopleRefreshInterval}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
