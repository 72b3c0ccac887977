using System.Diagnostics;
using System.Text;
using BlazorChat.LoadTest.Chat;
using BlazorChat.LoadTest.Ladder;
using BlazorChat.LoadTest.Protocol;

namespace BlazorChat.LoadTest.Abuse;

/// <summary>
/// The server over one phase, from /_diagnostics: Before after a forced compacting GC, After as it was at the end,
/// AfterCollected after another forced GC (what is still held).
/// </summary>
public sealed record ServerFigures(ServerSample Before, ServerSample After, ServerSample AfterCollected, TimeSpan Elapsed)
{
    public long ResidentGrowthBytes => After.WorkingSetBytes - Before.WorkingSetBytes;

    public long HeapGrowthBytes => AfterCollected.ManagedBytes - Before.ManagedBytes;

    /// <summary>Server CPU over the phase, in cores (CPU seconds per second).</summary>
    public double CpuCores => (After.CpuSeconds - Before.CpuSeconds) / Elapsed.TotalSeconds;
}

/// <summary>One phase: what was done, what the bystanders saw, what the server held, what was refused.</summary>
public sealed record AbusePhase(string Name, string Done, BystanderFigures Bystander, ServerFigures? Server, string Refusals, string Figures, string? Failure = null);

/// <summary>
/// One account (or one address) doing its worst within the app's limits, phase by phase, while an unrelated pair
/// chats (<see cref="Bystanders"/>): heavy messages and "Show earlier messages" in several tabs, as many tabs as
/// the server accepts, a storm of picks and withdrawals seen by those tabs, a sign-in flood over several spellings
/// of the path, and over-long sends and searches. Every refusal is counted, never a failure: after hardening most
/// of these should be refused. Accounts: <see cref="AbusePlan.Accounts"/> of the ladder's (user00001 …).
/// </summary>
public sealed class AbuseScenario(Uri baseAddress, DiagnosticsClient? diagnostics, AbusePlan plan, Action<string> log)
{
    private const int Bystander1 = 1, HeavyFirst = 3, TabsAccount = 5, Picker = 6, OversizeFirst = 7, Searcher = 9;

    /// <summary>How long a pick or a withdrawal may take to show before it counts as refused.</summary>
    private static readonly TimeSpan PickAnswer = TimeSpan.FromSeconds(10);

    private readonly List<AbusePhase> _phases = [];
    private Bystanders _bystanders = null!;
    private ServerSample? _lastCollected;
    private int _reopened;

    public async Task<IReadOnlyList<AbusePhase>> RunAsync(CancellationToken cancellationToken)
    {
        using var http = new BrowserHttp(plan.Timeout);
        var people = new List<ChatPerson>();
        ChatPerson Person(int number)
        {
            var person = new ChatPerson(Accounts.UserName(number), Accounts.Password(number), http, baseAddress, plan.Timeout);
            people.Add(person);
            return person;
        }

        var (bystander1, bystander2) = (Person(Bystander1), Person(Bystander1 + 1));
        var (heavy1, heavy2) = (Person(HeavyFirst), Person(HeavyFirst + 1));
        var tabsAccount = Person(TabsAccount);
        var picker = Person(Picker);
        var (oversize1, oversize2) = (Person(OversizeFirst), Person(OversizeFirst + 1));
        var searcher = Person(Searcher);
        var heavyTabs = new List<ChatPerson>();
        var tabs = new List<ChatPerson>();
        using var stopBystanders = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var bystanding = Task.CompletedTask;
        try
        {
            // Everyone signs in and opens their page before any abuse: a tab cap per address must not refuse them.
            foreach (var person in people)
            {
                await person.SignInAsync(cancellationToken);
                if (person != tabsAccount)
                {
                    await person.OpenChatPageAsync(cancellationToken);
                }
            }

            await PairAsync(bystander1, bystander2, cancellationToken);
            await PairAsync(heavy1, heavy2, cancellationToken);
            await PairAsync(oversize1, oversize2, cancellationToken);
            _bystanders = new Bystanders(bystander1, bystander2, plan.BystanderInterval);
            bystanding = _bystanders.RunAsync(stopBystanders.Token);

            await PhaseAsync("baseline", async () =>
            {
                await Task.Delay(plan.Baseline, cancellationToken);
                return ($"the bystander pair alone for {plan.Baseline.TotalSeconds:0} s", "none", "");
            }, cancellationToken);
            // The tabs go first, on a server that holds nothing yet, so their memory per tab is theirs alone.
            await PhaseAsync("b. many tabs", () => ManyTabsAsync(tabsAccount, tabs, cancellationToken), cancellationToken);
            if (_phases[^1] is { Server: { } server } manyTabs && tabs.Count > 0)
            {
                _phases[^1] = manyTabs with
                {
                    Figures = manyTabs.Figures + FormattableString.Invariant(
                        $"; per tab {server.ResidentGrowthBytes / 1024.0 / tabs.Count:0} KB resident, {server.HeapGrowthBytes / 1024.0 / tabs.Count:0} KB heap"),
                };
            }

            await PhaseAsync("c. presence storm", async () =>
            {
                await EnsureOpenAsync(picker, cancellationToken);
                return await PresenceStormAsync(picker, tabsAccount.UserName, tabs, cancellationToken);
            }, cancellationToken);
            await CloseAsync(tabs, cancellationToken);

            await PhaseAsync("a. heavy messages", async () =>
            {
                await EnsurePairAsync(heavy1, heavy2, cancellationToken);
                heavyTabs.AddRange([heavy1, heavy2]);
                for (var i = 1; i < plan.HeavyTabs; i++)
                {
                    foreach (var (heavy, partner) in new[] { (heavy1, heavy2), (heavy2, heavy1) })
                    {
                        var tab = heavy.NewTab();
                        heavyTabs.Add(tab);
                        if (await tab.TryOpenChatPageAsync(cancellationToken) is { } refusal)
                        {
                            throw new BlazorClientException($"another tab of {heavy.UserName} was refused: {refusal}");
                        }

                        await tab.WaitUntilChattingAsync(partner.UserName, cancellationToken);
                    }
                }

                return await HeavyMessagesAsync(heavy1, heavy2, heavyTabs.Count, PaddedText(heavy1), cancellationToken);
            }, cancellationToken);

            // The heaviest message the length rule lets through: each character an emoji of four UTF-16 units.
            await PhaseAsync("a. heaviest allowed messages", () =>
                HeavyMessagesAsync(heavy1, heavy2, heavyTabs.Count, HeaviestAllowedText(heavy1), cancellationToken), cancellationToken);
            await PhaseAsync("a. show earlier", () => ShowEarlierAsync(heavyTabs, cancellationToken), cancellationToken);
            await CloseAsync(heavyTabs, cancellationToken);

            await PhaseAsync("d. sign-in flood", () => SignInFloodAsync(cancellationToken), cancellationToken);
            await PhaseAsync("e. over-long sends", async () =>
            {
                await EnsurePairAsync(oversize1, oversize2, cancellationToken);
                return await OverLongSendsAsync(oversize1, oversize2, cancellationToken);
            }, cancellationToken);
            await PhaseAsync("e. long searches", async () =>
            {
                await EnsureOpenAsync(searcher, cancellationToken);
                return await LongSearchesAsync(searcher, cancellationToken);
            }, cancellationToken);
            return [.. _phases];
        }
        finally
        {
            await stopBystanders.CancelAsync();
            await bystanding;
            await CloseAsync([.. tabs, .. heavyTabs, .. people]);
        }
    }

    /// <summary>Runs one phase between two readings of the server; a client failure is recorded and the run goes on.</summary>
    private async Task PhaseAsync(string name, Func<Task<(string Done, string Refusals, string Figures)>> run, CancellationToken cancellationToken)
    {
        // A forced collection of gigabytes pauses the server for seconds: one reading after a phase serves as the
        // next one's start too, unless tabs were closed in between.
        var before = diagnostics is null ? null
            : _lastCollected is { } last && last.CircuitsActive == (await diagnostics.ReadAsync(false, cancellationToken)).CircuitsActive ? last
            : await diagnostics.ReadAsync(true, cancellationToken);

        // Messages slowed by that forced collection belong to no phase.
        await Task.Delay(500, cancellationToken);
        _bystanders.TakePhase();
        log($"{name}: starting");
        var reopened = _reopened;
        var clock = Stopwatch.StartNew();
        (string Done, string Refusals, string Figures) outcome;
        string? failure = null;
        try
        {
            outcome = await run();
        }
        catch (BlazorClientException ex)
        {
            failure = ex.Message;
            outcome = ("(failed)", "", "");
        }

        clock.Stop();
        var bystander = _bystanders.TakePhase();
        ServerFigures? server = null;
        if (diagnostics is not null && before is not null)
        {
            var after = await diagnostics.ReadAsync(false, cancellationToken);
            _lastCollected = await diagnostics.ReadAsync(true, cancellationToken);
            server = new ServerFigures(before, after, _lastCollected, clock.Elapsed);
        }

        if (_reopened > reopened)
        {
            outcome.Figures += $" ({_reopened - reopened} pages dropped in an earlier phase were reopened first)";
        }

        var phase = new AbusePhase(name, outcome.Done, bystander, server, outcome.Refusals, outcome.Figures, failure);
        _phases.Add(phase);
        log($"{name}: {AbuseReport.Describe(phase)}");
    }

    // 5 letters and as many invisible tag characters as the message box lets a browser type after the stamp.
    private (string Text, string Description) PaddedText(ChatPerson sender)
    {
        var tags = Math.Min(plan.TagCharacters, (sender.MessageBoxMaxLength() - StampLength(sender) - 5) / 2);
        var payload = new StringBuilder("hello", 5 + (2 * tags));
        for (var i = 0; i < tags; i++)
        {
            payload.Append(char.ConvertFromUtf32(0xE0020 + (i % 0x60)));
        }

        return (payload.ToString(), FormattableString.Invariant($"5 letters + {tags:N0} tag characters"));
    }

    // Thumbs up with a skin tone (one character, four UTF-16 units) up to the length limit: the box holds four units a
    // character, and the stamp's characters count too.
    private static (string Text, string Description) HeaviestAllowedText(ChatPerson sender)
    {
        var (units, stamp) = (sender.MessageBoxMaxLength(), StampLength(sender));
        var emoji = Math.Min((units - stamp) / 4, (units / 4) - stamp);
        return (string.Concat(Enumerable.Repeat("👍🏽", emoji)), FormattableString.Invariant($"{emoji:N0} emoji with a skin tone"));
    }

    private static int StampLength(ChatPerson sender) => new StampedMessage(sender.UserName, 99_999, long.MaxValue).Format("").Length;

    private async Task<(string, string, string)> HeavyMessagesAsync(
        ChatPerson first, ChatPerson second, int tabCount, (string Text, string Description) message, CancellationToken cancellationToken)
    {
        var (text, description) = message;
        var stampLength = StampLength(first);
        var (receivedBefore1, receivedBefore2) = (first.ReceivedCount, second.ReceivedCount);
        var sent = 0;
        var clock = Stopwatch.StartNew();

        // Each sends their half at the app's limit of 20 a second: one every 50 ms at most, a late one not made up
        // for (a burst after a slow answer would be refused).
        await Task.WhenAll(((ChatPerson[])[first, second]).Select(async (sender, index) =>
        {
            var count = (plan.HeavyMessages / 2) + (index == 0 ? plan.HeavyMessages % 2 : 0);
            var due = TimeSpan.Zero;
            for (var i = 0; i < count; i++)
            {
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed, cancellationToken);
                }

                due = clock.Elapsed + TimeSpan.FromMilliseconds(50);
                await sender.SendAsync(i + 1, text, cancellationToken);
                Interlocked.Increment(ref sent);
            }
        }));
        var sending = clock.Elapsed;
        var delivered = await SettledAsync(() => first.ReceivedCount - receivedBefore1 + second.ReceivedCount - receivedBefore2, sent, cancellationToken);
        var refused = sent - delivered;
        var units = text.Length + stampLength;
        return (
            FormattableString.Invariant($"{sent:N0} messages of {description} (about {units:N0} UTF-16 units each), 20/s from each of the pair, {tabCount} tabs open"),
            refused == 0 ? "none" : FormattableString.Invariant($"{refused:N0} sends refused ({first.SendError() ?? second.SendError() ?? "no error shown"})"),
            FormattableString.Invariant($"sent in {sending.TotalSeconds:0.0} s, {delivered:N0} delivered"));
    }

    private async Task<(string, string, string)> ShowEarlierAsync(IReadOnlyList<ChatPerson> heavyTabs, CancellationToken cancellationToken)
    {
        var presses = new List<int>();
        var residentAfterTab = new List<string>();
        var stopped = "none";
        foreach (var tab in heavyTabs)
        {
            var pressed = 0;
            while (pressed < plan.EarlierPresses && await tab.ShowEarlierAsync(cancellationToken))
            {
                pressed++;
                if (diagnostics is not null && (await diagnostics.ReadAsync(false, cancellationToken)).WorkingSetBytes > plan.ServerMemoryBudgetBytes)
                {
                    stopped = FormattableString.Invariant($"stopped by this run at the server memory budget ({plan.ServerMemoryBudgetBytes / 1073741824.0:0.#} GiB)");
                    break;
                }
            }

            presses.Add(pressed);
            if (diagnostics is not null)
            {
                residentAfterTab.Add(FormattableString.Invariant($"{(await diagnostics.ReadAsync(false, cancellationToken)).WorkingSetBytes / 1048576.0:N0} MB"));
            }

            log(FormattableString.Invariant($"a. show earlier: {tab.UserName}'s tab pressed {pressed} times, shows {tab.ShownMessages()} messages; server {(residentAfterTab.Count > 0 ? residentAfterTab[^1] : "?")}"));
            if (stopped != "none")
            {
                break;
            }
        }

        return (
            FormattableString.Invariant($"each of {heavyTabs.Count} tabs pressed \"Show earlier messages\" until all were shown ({string.Join(", ", presses)} presses)"),
            stopped,
            residentAfterTab.Count == 0 ? "" : $"server resident after each tab: {string.Join(", ", residentAfterTab)}");
    }

    private async Task<(string, string, string)> ManyTabsAsync(ChatPerson account, List<ChatPerson> accepted, CancellationToken cancellationToken)
    {
        var refused = 0;
        string? firstRefusal = null;
        var started = 0;
        var clock = Stopwatch.StartNew();
        using var gate = new SemaphoreSlim(plan.TabConcurrency);
        var opening = new List<Task>();
        while (started < plan.Tabs && Volatile.Read(ref refused) == 0)
        {
            await gate.WaitAsync(cancellationToken);
            started++;
            opening.Add(OpenOneAsync());
        }

        await Task.WhenAll(opening);
        var elapsed = clock.Elapsed;
        return (
            FormattableString.Invariant($"{account.UserName} opened chat pages, {plan.TabConcurrency} at a time, until one was refused or {plan.Tabs:N0} were open"),
            refused == 0 ? "none" : FormattableString.Invariant($"{refused} refused, the first: {firstRefusal}"),
            FormattableString.Invariant($"{accepted.Count:N0} accepted in {elapsed.TotalSeconds:0.0} s"));

        async Task OpenOneAsync()
        {
            var tab = account.NewTab();
            try
            {
                if (await tab.TryOpenChatPageAsync(cancellationToken) is { } refusal)
                {
                    Interlocked.Increment(ref refused);
                    Interlocked.CompareExchange(ref firstRefusal, refusal, null);
                    await tab.DisposeAsync();
                    return;
                }

                // Nothing waits on these pages any more: the client only acknowledges their renders, so the bystanders
                // in this process are not kept waiting by a thousand pages being drawn.
                tab.Slim();
                tab.Circuit.AcknowledgeOnly = true;
                lock (accepted)
                {
                    accepted.Add(tab);
                }
            }
            finally
            {
                gate.Release();
            }
        }
    }

    private async Task<(string, string, string)> PresenceStormAsync(ChatPerson picker, string target, IReadOnlyList<ChatPerson> tabs, CancellationToken cancellationToken)
    {
        long Batches() => tabs.Sum(t => t.Circuit.BatchesApplied);
        var batchesBefore = Batches();
        var (picks, refusedPicks, withdrawals, unanswered) = (0, 0, 0, 0);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < plan.Picks; i++)
        {
            await picker.ClickPersonAsync(target, "chat", cancellationToken);
            if (!await picker.TryWaitUntilWaitingAsync(target, waiting: true, PickAnswer, cancellationToken))
            {
                refusedPicks++;
                continue;
            }

            picks++;
            if (picks % 10 == 0)
            {
                log(FormattableString.Invariant($"c. presence storm: {picks} picks after {clock.Elapsed.TotalSeconds:0} s, {Batches() - batchesBefore:N0} render batches so far"));
            }

            await picker.ClickPersonAsync(target, "withdraw", cancellationToken);
            if (await picker.TryWaitUntilWaitingAsync(target, waiting: false, PickAnswer, cancellationToken))
            {
                withdrawals++;
            }
            else
            {
                unanswered++;
            }
        }

        var clicking = clock.Elapsed;

        // The tabs may still be catching up: wait until no batch has reached them for two seconds (at most two minutes).
        var last = Batches();
        for (var quiet = 0; quiet < 2 && clock.Elapsed < clicking + TimeSpan.FromMinutes(2);)
        {
            await Task.Delay(1000, cancellationToken);
            var now = Batches();
            quiet = now == last ? quiet + 1 : 0;
            last = now;
        }

        var batches = last - batchesBefore;
        return (
            FormattableString.Invariant($"{picker.UserName} picked {target} and withdrew, {plan.Picks} + {plan.Picks} times as fast as answered, with {tabs.Count:N0} tabs of {target} open"),
            refusedPicks + unanswered == 0 ? "none" : FormattableString.Invariant($"{refusedPicks} picks refused, {unanswered} withdrawals not shown"),
            FormattableString.Invariant($"{picks} picks + {withdrawals} withdrawals in {clicking.TotalSeconds:0.0} s; {batches:N0} render batches reached the open tabs ({(tabs.Count == 0 ? 0 : batches / (double)tabs.Count):0.0} per tab)"));
    }

    private async Task<(string, string, string)> SignInFloodAsync(CancellationToken cancellationToken)
    {
        var spellings = await SignInFlood.RunAsync(baseAddress, plan.Flood, plan.FloodWorkers, cancellationToken);
        var minutes = spellings.Max(s => s.Elapsed).TotalMinutes;
        var (refused, other) = (spellings.Sum(s => s.Refused), spellings.Sum(s => s.Other));
        return (
            FormattableString.Invariant($"one address posted the sign-in form (a new unknown name each time) to {string.Join(", ", spellings.Select(s => $"`{s.Path}`"))}, {plan.FloodWorkers} posters each, for {plan.Flood.TotalSeconds:0} s"),
            FormattableString.Invariant($"{refused:N0} answered 429") + (other == 0 ? "" : FormattableString.Invariant($", {other:N0} other (e.g. {spellings.First(s => s.OtherExample is not null).OtherExample})")),
            FormattableString.Invariant($"password checks: {spellings.Sum(s => s.Checked) / minutes:N0}/min in all; ")
                + string.Join(", ", spellings.Select(s => FormattableString.Invariant($"`{s.Path}` {s.CheckedPerMinute:N0}/min"))));
    }

    private async Task<(string, string, string)> OverLongSendsAsync(ChatPerson sender, ChatPerson partner, CancellationToken cancellationToken)
    {
        // As many letters as the box lets a browser type: over the length limit, so every one is refused. The partner's
        // page draws nothing unless one got through.
        var text = new string('x', sender.MessageBoxMaxLength());
        var partnerBatches = partner.Circuit.BatchesApplied;
        var events = await EventFloodAsync(() => sender.PressEnterAsync(text, cancellationToken), cancellationToken);
        var reached = partner.Circuit.BatchesApplied - partnerBatches;
        return (
            FormattableString.Invariant($"{sender.UserName} pressed Enter with {text.Length:N0} letters (the box's maxlength, over the length limit), {plan.OversizeWindow} on their way at once, for {plan.Oversize.TotalSeconds:0} s"),
            events.Refusal(reached == 0 ? "every send refused" : FormattableString.Invariant($"{reached} renders reached the partner")),
            events.ToString());
    }

    private async Task<(string, string, string)> LongSearchesAsync(ChatPerson searcher, CancellationToken cancellationToken)
    {
        var texts = new[] { new string('q', plan.SearchLength - 1) + "a", new string('q', plan.SearchLength - 1) + "b" };
        var next = 0;
        var events = await EventFloodAsync(() => searcher.SearchAsync(texts[next++ % 2], cancellationToken), cancellationToken);
        return (
            FormattableString.Invariant($"{searcher.UserName} typed {plan.SearchLength:N0}-character searches, {plan.OversizeWindow} on their way at once, for {plan.Oversize.TotalSeconds:0} s"),
            events.Refusal("none refused"),
            events.ToString());
    }

    /// <summary>Dispatches events for the oversize phase's time, keeping a window of them on their way.</summary>
    private async Task<EventFlood> EventFloodAsync(Func<Task<Task>> dispatch, CancellationToken cancellationToken)
    {
        using var gate = new SemaphoreSlim(plan.OversizeWindow);
        var handled = 0;
        string? failure = null;
        var pending = new List<Task>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < plan.Oversize && Volatile.Read(ref failure) is null)
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                pending.Add(ObserveAsync(await dispatch()));
            }
            catch (BlazorClientException ex)
            {
                Interlocked.CompareExchange(ref failure, ex.Message, null);
                gate.Release();
            }
        }

        await Task.WhenAll(pending);
        return new EventFlood(pending.Count, handled, clock.Elapsed, failure);

        async Task ObserveAsync(Task completion)
        {
            try
            {
                await completion;
                Interlocked.Increment(ref handled);
            }
            catch (BlazorClientException ex)
            {
                Interlocked.CompareExchange(ref failure, ex.Message, null);
            }
            finally
            {
                gate.Release();
            }
        }
    }

    /// <summary>The count once it reaches expected or has not moved for 5 s (at most a minute).</summary>
    private static async Task<int> SettledAsync(Func<int> count, int expected, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var (last, since) = (count(), clock.Elapsed);
        while (last < expected && clock.Elapsed - since < TimeSpan.FromSeconds(5) && clock.Elapsed < TimeSpan.FromMinutes(1))
        {
            await Task.Delay(250, cancellationToken);
            var now = count();
            if (now != last)
            {
                (last, since) = (now, clock.Elapsed);
            }
        }

        return last;
    }

    /// <summary>
    /// Reopens a page an earlier phase left dropped (the server, or this starved client, closed its connection),
    /// as a person would reload it; the phase's figures say how many were.
    /// </summary>
    private async Task EnsureOpenAsync(ChatPerson person, CancellationToken cancellationToken)
    {
        if (person.Failure is null)
        {
            return;
        }

        log($"reopening {person.UserName}'s page, which was dropped: {person.Failure.Message}");
        await person.DisposeAsync();
        _reopened++;
        if (await person.TryOpenChatPageAsync(cancellationToken) is { } refusal)
        {
            throw new BlazorClientException($"{person.UserName}'s dropped page could not be reopened: {refusal}");
        }
    }

    private async Task EnsurePairAsync(ChatPerson first, ChatPerson second, CancellationToken cancellationToken)
    {
        await EnsureOpenAsync(first, cancellationToken);
        await EnsureOpenAsync(second, cancellationToken);
        await PairAsync(first, second, cancellationToken);
    }

    private static async Task PairAsync(ChatPerson first, ChatPerson second, CancellationToken cancellationToken)
    {
        await first.PickAsync(second.UserName, cancellationToken);
        await second.PickAsync(first.UserName, cancellationToken);
        await first.WaitUntilChattingAsync(second.UserName, cancellationToken);
        await second.WaitUntilChattingAsync(first.UserName, cancellationToken);
    }

    /// <summary>Closes the tabs, then waits (at most a minute) until the server has let their circuits go.</summary>
    private async Task CloseAsync(IReadOnlyList<ChatPerson> tabs, CancellationToken cancellationToken)
    {
        var open = tabs.Count(t => t.Failure is null);
        var active = diagnostics is null ? 0 : (await diagnostics.ReadAsync(false, cancellationToken)).CircuitsActive;
        await CloseAsync(tabs);
        var clock = Stopwatch.StartNew();
        while (diagnostics is not null && clock.Elapsed < TimeSpan.FromMinutes(1)
            && (await diagnostics.ReadAsync(false, cancellationToken)).CircuitsActive > active - open)
        {
            await Task.Delay(500, cancellationToken);
        }
    }

    private static async Task CloseAsync(IReadOnlyList<ChatPerson> tabs)
    {
        using var gate = new SemaphoreSlim(32);
        await Task.WhenAll(tabs.Select(async tab =>
        {
            await gate.WaitAsync();
            try
            {
                await tab.DisposeAsync();
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    private sealed record EventFlood(int Sent, int Handled, TimeSpan Elapsed, string? Failure)
    {
        public string Refusal(string whenHandled) =>
            Failure is null ? whenHandled : FormattableString.Invariant($"the tab failed after {Handled:N0} events: {Failure}");

        public override string ToString() =>
            FormattableString.Invariant($"{Handled:N0} of {Sent:N0} handled in {Elapsed.TotalSeconds:0.0} s ({Handled / Elapsed.TotalSeconds:N0}/s)");
    }
}
