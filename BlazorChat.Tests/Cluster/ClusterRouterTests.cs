using BlazorChat.Chat;
using BlazorChat.Cluster;
using BlazorChat.Tests.Chat;
using CsCheck;
using Xunit.Abstractions;

namespace BlazorChat.Tests.Cluster;

/// <summary>
/// The router's guarantees with its tabs spread over two silos: only mutual picks pair, nobody has two partners, and
/// each message reaches only the partner's tabs, in order, exactly once, whichever silo each tab is on.
/// </summary>
public sealed class ClusterRouterTests(TwoSiloCluster cluster, ITestOutputHelper output) : IClassFixture<TwoSiloCluster>
{
    private static readonly string[] Users = ["hamza", "karam", "hira", "rushna", "hassaan", "zara", "amna", "bilal"];

    [Fact]
    public async Task Presence_PickAndChat_WorkBetweenTabsOnDifferentSilos()
    {
        var fixture = new RouterFixture(users: Users);
        var (first, second) = cluster.Open(fixture.Router);
        var hamza = await JoinAsync(first, "hamza");
        var karam = await JoinAsync(second, "karam");

        var people = await hamza.Tab.FindPeopleAsync(null, 20);
        Assert.Equal(PresenceStatus.Online, people.People.Single(p => p.Name == "karam").Status);

        Assert.Equal(PickResult.Waiting, await karam.Tab.PickAsync("hamza"));
        Assert.Equal("karam", (await hamza.Events.WaitForAsync<ChatRequestReceived>()).From);
        Assert.Equal(PickResult.Paired, await hamza.Tab.PickAsync("karam"));
        var started = await karam.Events.WaitForAsync<ChatStarted>();
        Assert.Equal("hamza", started.Partner);

        Assert.Equal(SendStatus.Delivered, (await hamza.Tab.SendAsync("across the cluster")).Status);
        Assert.Equal("across the cluster", (await karam.Events.WaitForMessagesAsync(1)).Single().Text);
        Assert.Equal(SendStatus.Ended, (await karam.Tab.SendAsync("@end")).Status);
        Assert.Equal("karam", (await hamza.Events.WaitForAsync<ChatEnded>()).EndedBy);
    }

    [Fact]
    public async Task Messages_BetweenSilosBothWaysAtOnce_ReachOnlyThePartnersTabs_InOrder_ExactlyOnce()
    {
        const int each = 300;
        var fixture = new RouterFixture(users: Users);
        var (first, second) = cluster.Open(fixture.Router);
        var hamza = await JoinAsync(first, "hamza");
        var hamzaPhone = await JoinAsync(second, "hamza");
        var karam = await JoinAsync(second, "karam");
        var bystander = await JoinAsync(first, "zara");
        await karam.Tab.PickAsync("hamza");
        await hamza.Tab.PickAsync("karam");
        await hamza.Events.WaitForAsync<ChatStarted>();
        await karam.Events.WaitForAsync<ChatStarted>();

        async Task SendAllAsync(ChatTab tab, string prefix)
        {
            for (var i = 0; i < each; i++)
            {
                Assert.Equal(SendStatus.Delivered, (await tab.SendAsync($"{prefix} {i}")).Status);
            }
        }

        await Task.WhenAll(SendAllAsync(hamza.Tab, "h"), SendAllAsync(hamzaPhone.Tab, "p"), SendAllAsync(karam.Tab, "k"));

        foreach (var tab in new[] { hamza, hamzaPhone, karam })
        {
            var messages = await tab.Events.WaitForMessagesAsync(3 * each);
            Assert.Equal(Enumerable.Range(1, 3 * each).Select(i => (long)i), messages.Select(m => m.Sequence));
            foreach (var prefix in new[] { "h", "p", "k" })
            {
                Assert.Equal(
                    Enumerable.Range(0, each).Select(i => $"{prefix} {i}"),
                    messages.Where(m => m.Text.StartsWith(prefix + " ", StringComparison.Ordinal)).Select(m => m.Text));
            }
        }

        Assert.True(await bystander.Tab.IsIdleAsync());
        Assert.Empty(bystander.Events.Events.OfType<MessageReceived>());
    }

    [Fact]
    [Trait("Category", "Heavy")]
    public async Task RandomConcurrentPicksSendsAndEnds_FromBothSilos_KeepEveryGuarantee()
    {
        var users = Gen.Int[3, Users.Length];
        var op = Gen.Select(Gen.Int[0, 9], Gen.Int[0, Users.Length - 1], (kind, other) => (kind, other));
        var script = Gen.Select(users, op.Array[1, 12].Array[Users.Length], Gen.Int[0, 255],
            (count, steps, secondTabs) => new ClusterScript(count, steps, secondTabs));

        await script.SampleAsync(RunAsync, writeLine: output.WriteLine, iter: 300, threads: 1, print: s => s.ToString());
    }

    private async Task RunAsync(ClusterScript script)
    {
        var names = Users[..script.UserCount];
        var fixture = new RouterFixture(users: names);
        var (first, second) = cluster.Open(fixture.Router);
        List<(string User, Joined Tab)> tabs = [];
        for (var i = 0; i < names.Length; i++)
        {
            tabs.Add((names[i], await JoinAsync(i % 2 == 0 ? first : second, names[i])));
            if ((script.SecondTabs >> i & 1) == 1)
            {
                tabs.Add((names[i], await JoinAsync(i % 2 == 0 ? second : first, names[i])));
            }
        }

        // Each person acts from their first tab, one step after another; all of them at once.
        var delivered = new int[names.Length];
        await Task.WhenAll(names.Select((name, i) => Task.Run(async () =>
        {
            var tab = tabs.First(t => t.User == name).Tab.Tab;
            foreach (var (kind, other) in script.Steps[i])
            {
                var peer = names[other % names.Length];
                switch (kind)
                {
                    case < 4:
                        await tab.PickAsync(peer);
                        break;
                    case < 8:
                        if ((await tab.SendAsync($"{name} {kind}")).Status == SendStatus.Delivered)
                        {
                            Interlocked.Increment(ref delivered[i]);
                        }

                        break;
                    case 8:
                        await tab.WithdrawAsync();
                        break;
                    default:
                        await tab.EndAsync();
                        break;
                }
            }
        })));

        foreach (var (_, joined) in tabs)
        {
            await RouterFixture.UntilAsync(joined.Tab.IsIdleAsync, $"{joined.Tab.UserName}'s tab has everything");
        }

        Assert.Empty(fixture.Router.FindInvariantViolations());

        // Each tab's view, built from its events alone, ends where the router is: events crossed the cluster in order.
        Dictionary<long, (string First, string Second)> chats = [];
        foreach (var (user, joined) in tabs)
        {
            long? current = null;
            foreach (var chatEvent in joined.Events.Events)
            {
                switch (chatEvent)
                {
                    case ChatStarted started:
                        Assert.Null(current);
                        current = started.ConversationId;
                        chats[started.ConversationId] = (user, started.Partner);
                        break;
                    case ChatEnded ended:
                        Assert.Equal(current, ended.ConversationId);
                        current = null;
                        break;
                }
            }

            var snapshot = await joined.Tab.GetSnapshotAsync();
            Assert.Equal(snapshot.Conversation?.Id, current);
        }

        // Every message: only in its chat's two people's tabs, each of which has the whole chat, in order, once.
        var received = 0;
        foreach (var (id, pair) in chats)
        {
            var views = tabs.Where(t => t.User == pair.First || t.User == pair.Second)
                .Select(t => t.Tab.Events.Events.OfType<MessageReceived>().Where(m => m.ConversationId == id).Select(m => m.Message.Sequence).ToList())
                .ToList();
            var count = views[0].Count;
            Assert.All(views, v => Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), v));
            received += count;
            Assert.All(
                tabs.Where(t => t.User != pair.First && t.User != pair.Second),
                t => Assert.DoesNotContain(t.Tab.Events.Events, e => e is MessageReceived m && m.ConversationId == id));
        }

        Assert.Equal(delivered.Sum(), received);
        foreach (var (_, joined) in tabs)
        {
            await joined.Tab.DisposeAsync();
        }

        await RouterFixture.UntilAsync(() => fixture.Router.ConnectionCount == 0, "every tab closed");
    }

    private static async Task<Joined> JoinAsync(ChatSilo silo, string user)
    {
        var events = new EventRecorder();
        var joined = await silo.JoinAsync(user, events.Handle, $"{user}-session", clientAddress: null);
        return new Joined(joined.Tab ?? throw new InvalidOperationException($"Refused: {joined.Status}"), events);
    }

    private sealed record Joined(ChatTab Tab, EventRecorder Events);

    /// <summary>For each of the first <see cref="UserCount"/> people, their steps (kind 0–3 pick, 4–7 send, 8 withdraw, 9 end).</summary>
    internal sealed record ClusterScript(int UserCount, (int Kind, int Other)[][] Steps, int SecondTabs)
    {
        public override string ToString() =>
            $"{UserCount} people, second tabs {SecondTabs:b8}: " + string.Join(" | ", Steps.Take(UserCount).Select(s => string.Join(",", s.Select(x => $"{x.Kind}:{x.Other}"))));
    }
}
