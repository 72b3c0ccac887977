using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace BlazorChat.Chat;

public sealed class ChatOptions
{
    public const string SectionName = "Chat";

    /// <summary>
    /// Longest message accepted, in characters as a reader counts them (an emoji is one), where a character made of more
    /// than ten code points counts once more for each one past them (see <see cref="MessageText.IsLongerThan"/>).
    /// </summary>
    [Range(1, 100_000)]
    public int MaxMessageLength { get; set; } = 4000;

    /// <summary>How long a user whose last tab closed stays in their chat, so that a reload does not end it.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan LeaveGrace { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a user whose connection dropped (but whose tab is still open) may take to come back.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:30:00")]
    public TimeSpan ReconnectGrace { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Most recent messages of a conversation kept for a reload or a second tab.</summary>
    [Range(10, 100_000)]
    public int TranscriptLimit { get; set; } = 1000;

    /// <summary>
    /// Most bytes of message text a conversation keeps (two per UTF-16 unit, as held in memory), and so at most what
    /// each of its tabs holds and can draw: 2 MiB is 1,000 messages of 1,000 characters, or 64 of the longest.
    /// </summary>
    [Range(typeof(long), "65536", "1073741824")]
    public long TranscriptBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>Messages one user may send per second, across all their tabs (also the burst allowed); 0 turns the limit off.</summary>
    [Range(0, 10_000)]
    public int MaxMessagesPerSecond { get; set; } = 20;

    /// <summary>
    /// Chat requests one user may make per minute, across all their tabs (also the burst allowed); 0 turns the limit
    /// off. Each request tells the person picked and redraws everyone's people list. Answering a request is not counted.
    /// </summary>
    [Range(0, 10_000)]
    public int MaxPicksPerMinute { get; set; } = 30;

    /// <summary>
    /// Calls one tab (circuit) may make to the server per second: its clicks, key presses and input, answers to the
    /// server's JavaScript calls (twice this at once); faster calls are read more slowly, none is dropped. 0 turns
    /// the budget off. Above <see cref="MaxMessagesPerSecond"/>, so that it never slows a person down.
    /// </summary>
    [Range(0, 10_000)]
    public int MaxTabEventsPerSecond { get; set; } = 30;

    /// <summary>
    /// Chat tabs one account may have open at once (every tab is a live page on the server that every status change
    /// reaches); a tab beyond it is refused with a message.
    /// </summary>
    [Range(1, 1000)]
    public int MaxTabsPerUser { get; set; } = 20;

    /// <summary>
    /// Chat tabs one client address (an IPv6 /64) may have open at once, across all accounts; 0 turns the limit off.
    /// High, since a campus or a mobile network puts many people behind one address.
    /// </summary>
    [Range(0, 1_000_000)]
    public int MaxTabsPerAddress { get; set; } = 1000;

    /// <summary>
    /// How long a chat request (a pick not yet answered) stands before it lapses; the one who made it sees the time left
    /// and is told when it lapses. Zero: requests stand until withdrawn.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan PickExpiry { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The shortest time between two redraws of one tab's people list: a burst of status changes is shown once it
    /// settles (the last change always is), not once per change. Zero redraws on every change.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan PeopleRefreshInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How often a tab whose person is typing tells the router so (at most); the router refuses a person's signals
    /// beyond one per interval (with a burst of two). Zero turns the typing notice off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan TypingInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long the partner sees "is typing…" after the last signal: longer than <see cref="TypingInterval"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan TypingTimeout { get; set; } = TimeSpan.FromSeconds(6);
}

/// <summary>Checks <see cref="ChatOptions"/> at start-up against their <see cref="RangeAttribute"/>s (generated code); <see cref="Hosting.SettingNames{TOptions}"/> names the settings in its messages.</summary>
[OptionsValidator]
public sealed partial class ChatOptionsValidator : IValidateOptions<ChatOptions>;
