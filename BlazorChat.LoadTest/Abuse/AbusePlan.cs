namespace BlazorChat.LoadTest.Abuse;

/// <summary>
/// How hard the abuse scenario pushes, phase by phase. Every phase is bounded in count and time; the accounts it
/// uses are the ladder's user00001 … user00012 (password pw-1 …), each with one role.
/// </summary>
public sealed record AbusePlan
{
    /// <summary>Accounts needed: bystanders 1–2, heavy pair 3–4, tabs 5, picker 6, oversize pair 7–8, searcher 9, and
    /// enough others that the people list shows its search box (more than 8 others).</summary>
    public const int Accounts = 12;

    /// <summary>How long the bystander pair chats alone first, for the baseline.</summary>
    public TimeSpan Baseline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Pause between the bystanders' messages (they take turns).</summary>
    public TimeSpan BystanderInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Heavy messages the heavy pair sends in all, in turns, each person at the app's 20 a second.</summary>
    public int HeavyMessages { get; init; } = 1_000;

    /// <summary>Invisible tag characters after the 5 letters (fewer if the message box's maxlength allows fewer).</summary>
    public int TagCharacters { get; init; } = 8_000;

    /// <summary>Tabs each of the heavy pair has open.</summary>
    public int HeavyTabs { get; init; } = 2;

    /// <summary>Most "Show earlier messages" presses per tab (the app's 1,000 kept messages need 9).</summary>
    public int EarlierPresses { get; init; } = 20;

    /// <summary>The presses stop once the server's resident memory passes this (the machine is shared).</summary>
    public long ServerMemoryBudgetBytes { get; init; } = 6L * 1024 * 1024 * 1024;

    /// <summary>Most chat pages the tabs account opens; it stops at the first refused one.</summary>
    public int Tabs { get; init; } = 1_500;

    /// <summary>Tabs opened at once.</summary>
    public int TabConcurrency { get; init; } = 16;

    /// <summary>Picks (and as many withdrawals) the picker makes, as fast as the server answers.</summary>
    public int Picks { get; init; } = 30;

    /// <summary>How long the sign-in flood lasts.</summary>
    public TimeSpan Flood { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Posters per spelling of the sign-in path.</summary>
    public int FloodWorkers { get; init; } = 2;

    /// <summary>How long each oversize phase (over-long sends, long searches) lasts.</summary>
    public TimeSpan Oversize { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Events an oversize tab keeps on their way at once.</summary>
    public int OversizeWindow { get; init; } = 8;

    /// <summary>Length of each search string.</summary>
    public int SearchLength { get; init; } = 60_000;

    /// <summary>Every wait of the simulated people.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    public static AbusePlan Full { get; } = new();

    public static AbusePlan Quick { get; } = new()
    {
        Baseline = TimeSpan.FromSeconds(5),
        HeavyMessages = 200,
        HeavyTabs = 1,
        Tabs = 150,
        Flood = TimeSpan.FromSeconds(10),
        Oversize = TimeSpan.FromSeconds(3),
    };
}
