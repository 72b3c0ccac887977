using System.Diagnostics;
using BlazorChat.LoadTest.Chat;
using BlazorChat.LoadTest.Protocol;

namespace BlazorChat.LoadTest.Ladder;

/// <summary>The ladder's measurements against a running app; each reads the server only from /_diagnostics.</summary>
public sealed class Scenarios(Uri baseAddress, DiagnosticsClient diagnostics, Action<string> log)
{
    private const string Payload = "hello from the ladder";

    // The hub comparison's steps: its warm-ups, then one more per round.
    private const int BlazorStepNumber = 50;
    private const int HubStepNumber = 90;
    private const int TypingStepNumber = 120;

    /// <summary>
    /// Ramps the crowd to each target in turn, reading /_diagnostics (as is, then after a forced compacting GC)
    /// once the server has settled. Stops at the first failure and reports the highest count held.
    /// </summary>
    public async Task<CircuitsResult> CircuitsAsync(
        Crowd crowd, IReadOnlyList<int> targets, TimeSpan timeBudget, long memoryBudgetBytes, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeBudget;
        var baselineRaw = await diagnostics.ReadAsync(false, cancellationToken);
        var baseline = await diagnostics.ReadAsync(true, cancellationToken);
        var steps = new List<CircuitStep>();
        string? failure = null;
        foreach (var target in targets)
        {
            var before = crowd.Count;
            if (steps.Count > 0)
            {
                // The machine is shared: a step whose projected server memory is over budget is not started.
                var last = steps[^1];
                var projected = baseline.WorkingSetBytes + ((last.Raw.WorkingSetBytes - baseline.WorkingSetBytes) / (double)Math.Max(1, last.Held) * target);
                if (projected > memoryBudgetBytes)
                {
                    failure = FormattableString.Invariant(
                        $"not started: {target:N0} circuits would take about {projected / 1073741824:0.0} GiB of server memory ({(last.Raw.WorkingSetBytes - baseline.WorkingSetBytes) / 1024.0 / last.Held:0} KB per circuit), over this shared machine's budget of {memoryBudgetBytes / 1073741824.0:0} GiB");
                    log($"circuits: {failure}");
                    break;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                failure = FormattableString.Invariant($"not started: the ramp's time budget ({timeBudget.TotalMinutes:0} min) was used up");
                log($"circuits: {failure}");
                break;
            }

            var cpuBefore = (await diagnostics.ReadAsync(false, cancellationToken)).CpuSeconds;
            TimeSpan elapsed;
            try
            {
                elapsed = await crowd.GrowToAsync(target, cancellationToken, deadline);
            }
            catch (BlazorClientException ex)
            {
                failure = $"growing from {before} to {target} circuits: {ex.Message}";
                log($"circuits: {failure}");
                break;
            }

            await SettleAsync(target, cancellationToken);
            var raw = await diagnostics.ReadAsync(false, cancellationToken);
            var collected = await diagnostics.ReadAsync(true, cancellationToken);
            GC.Collect();
            var step = new CircuitStep(target, (int)collected.CircuitsConnected, elapsed, raw, collected, raw.CpuSeconds - cpuBefore,
                crowd.Count - before, Environment.WorkingSet, GC.GetTotalMemory(forceFullCollection: true));
            steps.Add(step);
            log(FormattableString.Invariant(
                $"circuits: {step.Held} held ({elapsed.TotalSeconds:0.0} s for {step.AddedThisStep}); server ws {raw.WorkingSetBytes / 1048576.0:0} MB, after GC {collected.WorkingSetBytes / 1048576.0:0} MB, heap {collected.ManagedBytes / 1048576.0:0} MB; client ws {step.ClientWorkingSetBytes / 1048576.0:0} MB"));
            if (crowd.Count < target)
            {
                failure = FormattableString.Invariant($"the ramp's time budget ({timeBudget.TotalMinutes:0} min) ran out at {crowd.Count:N0} of {target:N0}");
                log($"circuits: {failure}");
                break;
            }

            if (step.Held < target)
            {
                var failed = crowd.Failed;
                failure = FormattableString.Invariant($"only {step.Held:N0} of {target:N0} circuits were connected on the server; {failed.Count:N0} clients saw their circuit fail")
                    + (failed.Count > 0 ? $", the first with: {failed[0].Failure!.Message}" : "");
                log($"circuits: {failure}");
                break;
            }
        }

        return new CircuitsResult(baselineRaw, baseline, steps, failure);
    }

    /// <summary>
    /// The latency ladder: the pairs pick each other once (a pairing sample) and keep chatting from step to step,
    /// as people in a chat do: each step sends open-loop at its rate for the step's duration and drains. Stops
    /// after the first step whose p99 exceeds kneeP99 or that lost a message; the chats end after the last step.
    /// (Pairing everyone anew before each step measured the collection of a thousand freshly built pages in
    /// whichever step the next GC fell into, not the cost of a message.)
    /// </summary>
    public async Task<(List<LoadStep> Steps, List<PairingSample> Pairing)> LatencyLadderAsync(
        Crowd crowd, int pairs, IReadOnlyList<double> rates, TimeSpan duration, double kneeP99, CancellationToken cancellationToken)
    {
        var steps = new List<LoadStep>();
        var pairing = new List<PairingSample>();
        await PairForStepsAsync(crowd, pairs, pairing, cancellationToken);
        for (var i = 0; i < rates.Count; i++)
        {
            var step = await BlazorStepAsync(crowd, pairs, rates[i], duration, i + 1, cancellationToken);
            steps.Add(step);
            log($"latency: {Describe(step)}");
            if (!step.AllDelivered || step.Latency.P99 > kneeP99)
            {
                break;
            }
        }

        if (steps.All(s => s.Failure is null))
        {
            await crowd.EndChatsAsync(pairs, cancellationToken);
        }

        return (steps, pairing);
    }

    /// <summary>Signs in the people the steps need and pairs them (a pairing sample).</summary>
    public async Task PairForStepsAsync(Crowd crowd, int pairs, List<PairingSample> pairing, CancellationToken cancellationToken)
    {
        await crowd.GrowToAsync(pairs * 2, cancellationToken);
        var pairTime = await crowd.PairAsync(pairs, cancellationToken);
        pairing.Add(new PairingSample(pairs, crowd.Count, pairTime));

        // A thousand pages opened at once leave their start-up in the young generation; the first collection
        // after them copies all of it, whichever step it falls into. Settle it now, as on a server that has
        // been up a while, so the steps measure messages.
        await diagnostics.ReadAsync(true, cancellationToken);
    }

    /// <summary>
    /// One open-loop step over the chat pages of people already paired (<see cref="PairForStepsAsync"/>);
    /// stepNumber keeps its messages apart from other steps'.
    /// </summary>
    public async Task<LoadStep> BlazorStepAsync(
        Crowd crowd, int pairs, double rate, TimeSpan duration, int stepNumber, CancellationToken cancellationToken, LatencyRecorder? pool = null,
        bool typing = false)
    {
        // Pairing re-renders everyone's people list, a step's drain leaves work behind: start from a quiet server.
        await SettleAsync(0, cancellationToken, TimeSpan.FromSeconds(10));

        var recorder = new LatencyRecorder();
        var people = crowd.People.Take(pairs * 2).ToArray();
        foreach (var person in people)
        {
            person.MessageReceived = message =>
            {
                if (message.Sequence / OpenLoop.StepBase == stepNumber)
                {
                    recorder.Record(message.Latency(TimeProvider.System));
                }
            };
        }

        // With typing, each message follows its sender's typing signal, as a person types before pressing Enter; the
        // message's latency is still timed from its own send.
        var senders = people.Select(p => typing
            ? (Func<int, Task>)(async sequence =>
            {
                await p.TypeAsync(cancellationToken);
                await p.SendAsync(sequence, Payload, cancellationToken);
            })
            : sequence => p.SendAsync(sequence, Payload, cancellationToken)).ToArray();
        var step = await MeasureAsync(senders, recorder, pairs, rate, duration, stepNumber, cancellationToken);
        foreach (var person in people)
        {
            person.MessageReceived = null;
        }

        pool?.Include(recorder);
        return step;
    }

    /// <summary>
    /// Blazor delivery against the bare hub at the same load. After a short warm-up of each, the two take turns
    /// for the plan's rounds (hub first in odd rounds, Blazor first in even ones), so both are measured in the same
    /// minutes of this shared machine rather than one after the other; each side's samples are pooled.
    /// </summary>
    public async Task<HubComparison> CompareWithHubAsync(
        Crowd crowd, int pairs, double rate, TimeSpan roundDuration, int rounds, CancellationToken cancellationToken)
    {
        await using var hub = await HubPairs.OpenAsync(baseAddress, pairs, cancellationToken);
        await PairForStepsAsync(crowd, pairs, [], cancellationToken);
        var warmUp = TimeSpan.FromSeconds(2);
        await HubStepAsync(hub, rate, warmUp, HubStepNumber, cancellationToken);
        await BlazorStepAsync(crowd, pairs, rate, warmUp, BlazorStepNumber, cancellationToken);

        var hubRounds = new List<LoadStep>();
        var blazorRounds = new List<LoadStep>();
        var hubPool = new LatencyRecorder();
        var blazorPool = new LatencyRecorder();
        for (var round = 1; round <= rounds; round++)
        {
            async Task Hub() => hubRounds.Add(await HubStepAsync(hub, rate, roundDuration, HubStepNumber + round, cancellationToken, hubPool));
            async Task Blazor()
            {
                blazorRounds.Add(await BlazorStepAsync(crowd, pairs, rate, roundDuration, BlazorStepNumber + round, cancellationToken, blazorPool));
                log($"blazor: {Describe(blazorRounds[^1])}");
            }

            if (round % 2 == 1)
            {
                await Hub();
                await Blazor();
            }
            else
            {
                await Blazor();
                await Hub();
            }

            log(FormattableString.Invariant($"hub comparison, round {round}: Blazor p50 {blazorRounds[^1].Latency.P50:0.00} ms, hub p50 {hubRounds[^1].Latency.P50:0.00} ms"));
        }

        await crowd.EndChatsAsync(pairs, cancellationToken);
        return new HubComparison(LoadStep.Pool(hubRounds, hubPool), LoadStep.Pool(blazorRounds, blazorPool), hubRounds, blazorRounds);
    }

    /// <summary>
    /// The chat pages at one load without and with a typing signal before every message, in interleaved rounds (as
    /// the hub comparison), each side pooled: what typing notices cost the latency.
    /// </summary>
    public async Task<TypingComparison> CompareTypingAsync(
        Crowd crowd, int pairs, double rate, TimeSpan roundDuration, int rounds, CancellationToken cancellationToken)
    {
        await PairForStepsAsync(crowd, pairs, [], cancellationToken);
        await BlazorStepAsync(crowd, pairs, rate, TimeSpan.FromSeconds(2), TypingStepNumber, cancellationToken, typing: true);

        var plainRounds = new List<LoadStep>();
        var typingRounds = new List<LoadStep>();
        var plainPool = new LatencyRecorder();
        var typingPool = new LatencyRecorder();
        for (var round = 1; round <= rounds; round++)
        {
            async Task Plain() => plainRounds.Add(await BlazorStepAsync(crowd, pairs, rate, roundDuration, TypingStepNumber + (2 * round), cancellationToken, plainPool));
            async Task Typing() => typingRounds.Add(await BlazorStepAsync(crowd, pairs, rate, roundDuration, TypingStepNumber + (2 * round) + 1, cancellationToken, typingPool, typing: true));
            if (round % 2 == 1)
            {
                await Plain();
                await Typing();
            }
            else
            {
                await Typing();
                await Plain();
            }

            log($"typing comparison, round {round}: without {Describe(plainRounds[^1])}");
            log($"typing comparison, round {round}: with    {Describe(typingRounds[^1])}");
        }

        await crowd.EndChatsAsync(pairs, cancellationToken);
        return new TypingComparison(LoadStep.Pool(plainRounds, plainPool), LoadStep.Pool(typingRounds, typingPool), plainRounds, typingRounds);
    }

    private async Task<LoadStep> HubStepAsync(
        HubPairs hub, double rate, TimeSpan duration, int stepNumber, CancellationToken cancellationToken, LatencyRecorder? pool = null)
    {
        await SettleAsync(0, cancellationToken, TimeSpan.FromSeconds(10));
        var recorder = new LatencyRecorder();
        hub.RecordStep(stepNumber, recorder);
        var step = await MeasureAsync(hub.Senders(Payload, cancellationToken), recorder, hub.Pairs, rate, duration, stepNumber, cancellationToken);
        pool?.Include(recorder);
        log($"hub: {Describe(step)}");
        return step;
    }

    /// <summary>Pairs exchange messages open-loop until each pair's history holds each count in turn; the server is read after a forced GC at each.</summary>
    public async Task<HistoryResult> HistoryAsync(Crowd crowd, int pairs, IReadOnlyList<int> messagesPerPair, CancellationToken cancellationToken)
    {
        await crowd.GrowToAsync(pairs * 2, cancellationToken);
        await crowd.PairAsync(pairs, cancellationToken);
        var people = crowd.People.Take(pairs * 2).ToArray();
        var senders = people.Select(p => (Func<int, Task>)(sequence => p.SendAsync(sequence, Payload, cancellationToken))).ToArray();
        var received = 0;
        foreach (var person in people)
        {
            person.MessageReceived = _ => Interlocked.Increment(ref received);
        }

        var samples = new List<(int, ServerSample)> { (0, await diagnostics.ReadAsync(true, cancellationToken)) };
        var sentPerPair = 0;

        // 15 messages a second per person: under the app's 20 per person.
        var rate = people.Length * 15.0;
        var stepNumber = 200;
        foreach (var target in messagesPerPair)
        {
            var count = (target - sentPerPair) * pairs;
            var (sent, _, failure) = await OpenLoop.RunAsync(senders, rate, TimeSpan.FromSeconds(count / rate), stepNumber++, cancellationToken);
            if (failure is not null)
            {
                throw new BlazorClientException($"history: sending failed: {failure.Message}", failure);
            }

            sentPerPair += sent / pairs;
            await OpenLoop.DrainAsync(() => Volatile.Read(ref received), sentPerPair * pairs, TimeSpan.FromSeconds(30), cancellationToken);
            var sample = await diagnostics.ReadAsync(true, cancellationToken);
            samples.Add((sentPerPair, sample));
            log(FormattableString.Invariant($"history: {sentPerPair} messages per pair, server ws after GC {sample.WorkingSetBytes / 1048576.0:0} MB, heap {sample.ManagedBytes / 1048576.0:0} MB"));
        }

        foreach (var person in people)
        {
            person.MessageReceived = null;
        }

        await crowd.EndChatsAsync(pairs, cancellationToken);
        return new HistoryResult(pairs, samples);
    }

    /// <summary>people sign in through the form at the same moment; the time until the last has its cookie.</summary>
    public async Task<SignInResult> SignInAsync(int people, int iterations, CancellationToken cancellationToken)
    {
        using var http = new BrowserHttp(TimeSpan.FromSeconds(120));
        var sessions = Enumerable.Range(1, people).Select(_ => new BrowserSession(http, baseAddress)).ToArray();

        // Warm the connection pool and the sign-in page first: the burst is the sign-ins, not connection set-up.
        await new BrowserSession(http, baseAddress).GetAsync(new Uri(baseAddress, "signin"), cancellationToken);
        var each = new LatencyRecorder();
        var failed = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(sessions.Select(async (session, index) =>
        {
            await Task.Yield();
            var own = Stopwatch.StartNew();
            try
            {
                await session.SignInAsync(Accounts.UserName(index + 1), Accounts.Password(index + 1), cancellationToken);
                each.Record(own.Elapsed);
            }
            catch (BlazorClientException ex)
            {
                Interlocked.Increment(ref failed);
                log($"signin: {ex.Message}");
            }
        }));
        var result = new SignInResult(people, iterations, clock.Elapsed, each.Summarize(), failed);
        log(FormattableString.Invariant($"signin: {people} at once, all done in {result.AllDone.TotalSeconds:0.00} s; each {result.PerPerson}; failed {failed}"));
        return result;
    }

    public static string Describe(LoadStep step) => FormattableString.Invariant(
        $"{step.OfferedPerSecond:0} msg/s, {step.Pairs} pairs: sent {step.Sent}, delivered {step.Delivered}, {step.Latency}, send lag p99 {step.SendLagP99Milliseconds:0.0} ms, server CPU {step.CpuMicrosecondsPerMessage:0} µs/msg{(step.DeliveryWaits is { Count: > 0 } waits ? $", events' wait for their tab p50 {waits.PercentileMicroseconds(50):0} µs p99 {waits.PercentileMicroseconds(99):0} µs" : "")}{(step.Failure is null ? "" : ", failed: " + step.Failure)}");

    private async Task<LoadStep> MeasureAsync(
        Func<int, Task>[] senders, LatencyRecorder recorder, int pairs, double rate, TimeSpan duration, int stepNumber, CancellationToken cancellationToken)
    {
        var before = await diagnostics.ReadAsync(false, cancellationToken);
        var cpuBefore = before.CpuSeconds;
        var (sent, lag, failure) = await OpenLoop.RunAsync(senders, rate, duration, stepNumber, cancellationToken);
        await OpenLoop.DrainAsync(() => recorder.Count, sent, TimeSpan.FromSeconds(15), cancellationToken);
        var after = await diagnostics.ReadAsync(false, cancellationToken);
        var cpuAfter = after.CpuSeconds;
        log(FormattableString.Invariant(
            $"  server GC during the step: {after.GcPauseMilliseconds - before.GcPauseMilliseconds:0} ms paused, {after.Gen0Collections - before.Gen0Collections} gen0 and {after.Gen2Collections - before.Gen2Collections} gen2 collections"));
        var waits = after.DeliveryWait is { } waitsAfter ? waitsAfter.Since(before.DeliveryWait ?? WaitHistogram.Empty) : null;
        return new LoadStep(rate, pairs, duration, sent, recorder.Count, recorder.Summarize(), lag, cpuAfter - cpuBefore, failure?.Message, waits);
    }

    /// <summary>Waits (at most 60 s or limit) until the server has the circuits connected and its CPU has gone quiet (under 20 %).</summary>
    private async Task SettleAsync(int circuits, CancellationToken cancellationToken, TimeSpan? limit = null)
    {
        var clock = Stopwatch.StartNew();
        var previous = await diagnostics.ReadAsync(false, cancellationToken);
        while (clock.Elapsed < (limit ?? TimeSpan.FromSeconds(60)))
        {
            await Task.Delay(1000, cancellationToken);
            var now = await diagnostics.ReadAsync(false, cancellationToken);
            if (now.CircuitsConnected >= circuits && now.CpuSeconds - previous.CpuSeconds < 0.2)
            {
                return;
            }

            previous = now;
        }
    }
}
