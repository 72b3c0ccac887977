using System.Collections.Concurrent;
using System.Diagnostics;
using BlazorChat.Chat;
using Xunit.Abstractions;

namespace BlazorChat.Tests.Chat;

public sealed class ChatRouterStressTests(ITestOutputHelper output)
{
    private const int Threads = 100;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(3);
    private static readonly string[] EndSpellings = ["@end", " @END ", "@ end"];

    /// <summary>
    /// A hundred threads on twenty shared users doing everything at once, with a clock running the reconnect
    /// grace and another thread checking the router's invariants while they work. Delivery is audited per tab.
    /// A deadlock anywhere fails the test after a minute instead of hanging the run.
    /// </summary>
    [Fact]
    [Trait("Category", "Heavy")]
    public Task Router_HundredThreadsOnTwentyUsers_NoExceptionsViolationsOrDeadlock() =>
        HammerAsync().WaitAsync(TimeSpan.FromSeconds(60));

    private async Task HammerAsync()
    {
        string[] users = [.. Enumerable.Range(0, 20).Select(i => $"user{i:00}")];
        var fixture = new RouterFixture(new ChatOptions { LeaveGrace = TimeSpan.Zero, ReconnectGrace = TimeSpan.FromSeconds(1) }, users);
        var router = fixture.Router;
        var clock = Stopwatch.StartNew();
        ConcurrentQueue<Exception> exceptions = [];
        ConcurrentQueue<string> violations = [];
        ConcurrentBag<DeliveryAudit> audits = [];
        ConcurrentBag<(ChatConnection Connection, DeliveryAudit Audit)> leftOpen = [];
        var operations = 0L;
        var delivered = 0L;
        var samples = 0;

        bool Running() => clock.Elapsed < Duration;

        void Worker(int seed)
        {
            var random = new Random(seed);
            List<(ChatConnection Connection, DeliveryAudit Audit)> mine = [];
            try
            {
                while (Running())
                {
                    // Open a tab first; then mostly act with one of this thread's (at most two) tabs.
                    var choice = mine.Count == 0 ? 0 : random.Next(16);
                    if (choice == 0 && mine.Count == 2)
                    {
                        choice = 3;
                    }

                    var (tab, tabAudit) = choice == 0 ? default : mine[random.Next(mine.Count)];
                    switch (choice)
                    {
                        case 0:
                            var user = users[random.Next(users.Length)];
                            var audit = new DeliveryAudit(user);
                            audits.Add(audit);
                            var connection = router.Connect(user, audit.Handle, $"{user}/browser{random.Next(2)}");
                            audit.Seed(connection.Initial);
                            mine.Add((connection, audit));
                            break;
                        case 1:
                            tab!.Dispose();
                            mine.Remove((tab, tabAudit!));
                            break;
                        case 2 or 3 or 4:
                            // Half the time answer someone who is waiting for us, so that pairs form.
                            var incoming = tab!.GetSnapshot().IncomingRequests;
                            var peer = incoming.Count > 0 && random.Next(2) == 0 ? incoming[random.Next(incoming.Count)]
                                : random.Next(10) == 0 ? "nobody" : users[random.Next(users.Length)];
                            Assert.True(Enum.IsDefined(tab.Pick(peer)));
                            break;
                        case 5:
                            tab!.Withdraw();
                            break;
                        case 6 or 7 or 8 or 9 or 10:
                            var sent = tab!.Send(random.Next(8) switch { 0 => "", 1 => " ", 2 => new string('x', router.MaxMessageLength + 1), _ => $"hi {seed}" });
                            Assert.Equal(sent.Status == SendStatus.Delivered ? tab.UserName : null, sent.Message?.Sender);
                            if (sent.Status == SendStatus.Delivered)
                            {
                                Interlocked.Increment(ref delivered);
                            }

                            break;
                        case 11:
                            Assert.NotEqual(SendStatus.Delivered, tab!.Send(EndSpellings[random.Next(EndSpellings.Length)]).Status);
                            break;
                        case 12:
                            tab!.End();
                            break;
                        case 13 or 14:
                            tab!.SetReachable(random.Next(3) > 0);
                            break;
                        default:
                            var who = users[random.Next(users.Length)];
                            router.SignOut(who, random.Next(3) == 0 ? null : $"{who}/browser{random.Next(2)}");
                            var snapshot = tab!.GetSnapshot();
                            Assert.NotEqual(snapshot.UserName, snapshot.Conversation?.Partner);
                            Assert.NotEqual(snapshot.UserName, snapshot.Pick);
                            break;
                    }

                    // The sampler thread can starve among a hundred busy ones; workers check now and then as well.
                    if (random.Next(32) == 0)
                    {
                        Sample();
                    }

                    Interlocked.Increment(ref operations);
                }
            }
            finally
            {
                foreach (var open in mine)
                {
                    leftOpen.Add(open);
                }
            }
        }

        void Sample()
        {
            foreach (var violation in router.FindInvariantViolations())
            {
                violations.Enqueue(violation);
            }

            Interlocked.Increment(ref samples);
        }

        void Sampler()
        {
            while (Running())
            {
                Sample();
            }
        }

        void Ticker()
        {
            while (Running())
            {
                fixture.Time.Advance(TimeSpan.FromMilliseconds(10));
                Thread.Sleep(1);
            }
        }

        Task Start(Action body) => Task.Factory.StartNew(
            () =>
            {
                try
                {
                    body();
                }
                catch (Exception ex)
                {
                    exceptions.Enqueue(ex);
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        Task[] all = [.. Enumerable.Range(0, Threads).Select(seed => Start(() => Worker(seed))), Start(Sampler), Start(Ticker)];
        await Task.WhenAll(all);
        Assert.Empty(exceptions);
        Assert.Empty(violations);
        Assert.Empty(router.FindInvariantViolations());

        // Signing everyone out ends each open tab's stream with SignedOut after all it was sent, so once every
        // open tab has that, its delivery is complete; closing the tabs afterwards changes nothing.
        foreach (var user in users)
        {
            router.SignOut(user, null);
        }

        await Task.WhenAll(leftOpen.Select(open => open.Audit.SignedOutReceived));
        foreach (var (connection, _) in leftOpen)
        {
            connection.Dispose();
        }

        output.WriteLine($"{operations:N0} operations on {Threads} threads, {audits.Count:N0} tabs opened, {samples:N0} invariant samples, {delivered:N0} messages sent, {audits.Sum(a => a.MessageCount):N0} received");

        Assert.True(samples > 100, $"the invariants were sampled only {samples} times");
        Assert.True(operations > 1_000, $"only {operations} operations ran");
        Assert.True(delivered > 0, "no pair ever exchanged a message");

        fixture.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(router.FindInvariantViolations());
        Assert.Equal(0, router.ConnectionCount);
        Assert.Equal(0, router.TrackedUserCount);

        Assert.Empty(audits.SelectMany(a => a.Problems));
        var crossed = audits
            .SelectMany(a => a.Conversations.Select(c => (c.Id, People: c.Senders.Append(a.UserName))))
            .GroupBy(c => c.Id)
            .Select(g => (ConversationId: g.Key, People: g.SelectMany(c => c.People).Distinct().ToList()))
            .Where(c => c.People.Count > 2);
        Assert.Empty(crossed);
    }

    /// <summary>
    /// What one tab was told, checked as it arrives: within a conversation the sequence numbers of a tab that
    /// stays open run on without gap or repeat, and every sender is this user or their partner.
    /// </summary>
    private sealed class DeliveryAudit(string userName)
    {
        private readonly Lock _lock = new();
        private readonly Dictionary<long, ConversationSeen> _conversations = [];
        private readonly List<string> _problems = [];
        private readonly TaskCompletionSource _signedOut = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string UserName { get; } = userName;

        public int MessageCount { get; private set; }

        public Task SignedOutReceived => _signedOut.Task;

        public IReadOnlyList<string> Problems
        {
            get
            {
                lock (_lock)
                {
                    return [.. _problems];
                }
            }
        }

        public IReadOnlyList<(long Id, IReadOnlyList<string> Senders)> Conversations
        {
            get
            {
                lock (_lock)
                {
                    return [.. _conversations.Select(c => (c.Key, (IReadOnlyList<string>)[.. c.Value.Senders]))];
                }
            }
        }

        /// <summary>A tab opened during a chat learns its partner and where the transcript stands from its snapshot.</summary>
        public void Seed(ChatSnapshot initial)
        {
            if (initial.Conversation is not { } conversation)
            {
                return;
            }

            lock (_lock)
            {
                var seen = Seen(conversation.Id);
                seen.Partner ??= conversation.Partner;
                if (seen.LastSequence == 0 && conversation.Messages.Count > 0)
                {
                    seen.LastSequence = conversation.Messages[^1].Sequence;
                }
            }
        }

        public Task Handle(ChatEvent chatEvent)
        {
            lock (_lock)
            {
                switch (chatEvent)
                {
                    case ChatStarted started:
                        Seen(started.ConversationId).Partner = started.Partner;
                        if (started.Partner == UserName)
                        {
                            _problems.Add($"{UserName} was paired with themselves");
                        }

                        break;
                    case MessageReceived received:
                        Check(received);
                        break;
                    case SignedOut when !_signedOut.TrySetResult():
                        _problems.Add($"{UserName} was signed out twice");
                        break;
                }
            }

            return Task.CompletedTask;
        }

        private void Check(MessageReceived received)
        {
            var (sequence, sender) = (received.Message.Sequence, received.Message.Sender);
            var seen = Seen(received.ConversationId);
            if (seen.LastSequence != 0 && sequence != seen.LastSequence + 1)
            {
                _problems.Add($"{UserName}: conversation {received.ConversationId} went from message {seen.LastSequence} to {sequence}");
            }

            if (sender != UserName && seen.Partner is { } partner && sender != partner)
            {
                _problems.Add($"{UserName}: message from {sender} in a conversation with {partner}");
            }

            seen.LastSequence = sequence;
            seen.Senders.Add(sender);
            MessageCount++;
        }

        private ConversationSeen Seen(long conversationId)
        {
            if (!_conversations.TryGetValue(conversationId, out var seen))
            {
                seen = new ConversationSeen();
                _conversations.Add(conversationId, seen);
            }

            return seen;
        }
    }

    private sealed class ConversationSeen
    {
        public string? Partner { get; set; }

        public long LastSequence { get; set; }

        public HashSet<string> Senders { get; } = [];
    }
}
