using BlazorChat.Chat;
using CsCheck;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace BlazorChat.Tests.Chat;

/// <summary>
/// Issue 3, routing guarantees: random interleavings of everything users and their browsers do, run against the
/// real router and against <see cref="ChatRouterModel"/>, compared after every operation and at the end of each
/// run. CsCheck shrinks a failing run to a short one; the failure message lists what each step did.
/// </summary>
public sealed class ChatRouterPropertyTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Heavy")]
    public async Task Router_RandomInterleavingsWithoutGrace_BehaveLikeTheModel()
    {
        await RouterScript.Generator(withGrace: false).SampleAsync(
            script => new ScriptRun(script).RunAsync(),
            writeLine: output.WriteLine,
            iter: 10_000,
            print: script => script.ToString());
    }

    [Fact]
    [Trait("Category", "Heavy")]
    public async Task Router_RandomInterleavingsWithGraceAndTime_BehaveLikeTheModel()
    {
        await RouterScript.Generator(withGrace: true).SampleAsync(
            script => new ScriptRun(script).RunAsync(),
            writeLine: output.WriteLine,
            iter: 5_000,
            print: script => script.ToString());
    }
}

internal enum OpKind
{
    Connect,
    SecondTab,
    Disconnect,
    Pick,
    Withdraw,
    Send,
    End,
    SetReachable,
    SignOut,
    Advance,
    Block,
}

/// <summary>
/// One generated step. The numbers are choices resolved against the model's state when the step runs (which tab,
/// whom to pick, what to type), so a shrunk script stays meaningful: smaller numbers mean earlier tabs and
/// plainer variants.
/// </summary>
internal readonly record struct RouterOp(OpKind Kind, int Tab, int Variant, int Other)
{
    /// <summary>Tab choices at or above this reach every tab ever opened, closed ones included.</summary>
    public const int AnyTabFrom = 56;

    public override string ToString() => $"{Kind}({Tab},{Variant},{Other})";
}

internal sealed record RouterScript(int UserCount, bool WithGrace, int MessagesPerSecond, RouterOp[] Ops)
{
    public static Gen<RouterScript> Generator(bool withGrace)
    {
        var tab = Gen.Int[0, 63];
        var other = Gen.Int[0, 63];
        List<(int, IGen<RouterOp>)> ops =
        [
            (14, Gen.Select(Gen.Int[0, 49], Gen.Int[0, 3], (user, variant) => new RouterOp(OpKind.Connect, user, variant, 0))),
            (4, tab.Select(t => new RouterOp(OpKind.SecondTab, t, 0, 0))),
            (6, tab.Select(t => new RouterOp(OpKind.Disconnect, t, 0, 0))),
            (22, Gen.Select(tab, Gen.Int[0, 11], other, (t, v, o) => new RouterOp(OpKind.Pick, t, v, o))),
            (3, tab.Select(t => new RouterOp(OpKind.Withdraw, t, 0, 0))),
            (24, Gen.Select(tab, Gen.Int[0, 21], other, (t, v, o) => new RouterOp(OpKind.Send, t, v, o))),
            (3, Gen.Select(tab, other, (t, o) => new RouterOp(OpKind.End, t, 0, o))),
            (5, Gen.Select(tab, Gen.Int[0, 1], (t, v) => new RouterOp(OpKind.SetReachable, t, v, 0))),
            (3, Gen.Select(Gen.Int[0, 49], Gen.Int[0, 3], Gen.Int[0, 1], (user, v, o) => new RouterOp(OpKind.SignOut, user, v, o))),
            (3, Gen.Select(Gen.Int[0, 49], Gen.Int[0, 2], Gen.Int[0, 49], (user, v, o) => new RouterOp(OpKind.Block, user, v, o))),
        ];
        if (withGrace)
        {
            ops.Add((5, Gen.Int[0, ScriptRun.Advances.Length - 1].Select(v => new RouterOp(OpKind.Advance, 0, v, 0))));
        }

        // The send limit is off in half the runs, tight in some (so messages are refused), the default in the rest.
        var messagesPerSecond = Gen.Frequency((2, 0), (1, 2), (1, 20));
        return Gen.Select(
            Gen.Int[2, 50],
            messagesPerSecond,
            Gen.Frequency([.. ops]).Array[1, 100],
            (users, rate, steps) => new RouterScript(users, withGrace, rate, steps));
    }

    public override string ToString() =>
        $"{UserCount} users, {(WithGrace ? "with grace" : "no grace")}, {MessagesPerSecond} messages/s, {Ops.Length} ops: {string.Join(" ", Ops)}";
}

/// <summary>Plays one script against a fresh router and a fresh model, checking them against each other as it goes.</summary>
internal sealed class ScriptRun
{
    public static readonly TimeSpan[] Advances =
        [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(30),
         TimeSpan.FromSeconds(59), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(61), TimeSpan.FromMinutes(5)];

    private const int MaxLength = 40;
    private const string ThumbsUp = "👍🏽"; // one text element, four UTF-16 units
    private const string Family = "👩‍👩‍👧‍👦"; // one text element, eleven UTF-16 units
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(10);
    private static readonly string[] AllUsers =
        [.. Enumerable.Range(0, 50).Select(i => i % 3 == 0 ? $"User{i:00}" : $"user{i:00}")];

    private readonly RouterScript _script;
    private readonly string[] _users;
    private readonly RouterFixture _fixture;
    private readonly ChatRouterModel _model;
    private readonly List<(ChatConnection Connection, EventRecorder Events)> _tabs = [];
    private readonly List<string> _trace = [];
    private int _texts;

    public ScriptRun(RouterScript script)
    {
        _script = script;
        _users = AllUsers[..script.UserCount];
        var options = script.WithGrace
            ? new ChatOptions { LeaveGrace = TimeSpan.FromSeconds(3), ReconnectGrace = TimeSpan.FromSeconds(60) }
            : new ChatOptions { LeaveGrace = TimeSpan.Zero, ReconnectGrace = TimeSpan.Zero };
        options.MaxMessageLength = MaxLength;
        options.MaxMessagesPerSecond = script.MessagesPerSecond;
        options.MaxPicksPerMinute = 0; // not modelled: ChatRouterLimitsTests covers it
        options.TranscriptLimit = 10;

        // Long enough that most requests are answered or withdrawn first, short enough that some lapse within a run.
        options.PickExpiry = TimeSpan.FromSeconds(90);
        _fixture = new RouterFixture(options, _users);
        _model = new ChatRouterModel(_users, options);
    }

    private ChatRouter Router => _fixture.Router;

    public async Task RunAsync()
    {
        var step = "the end of the run";
        try
        {
            for (var i = 0; i < _script.Ops.Length; i++)
            {
                step = $"step {i}, {_script.Ops[i]}";
                _trace.Add($"{i}: {Apply(_script.Ops[i])}");
                CheckState();
            }

            step = "the end of the run";
            await FinishAsync();
        }
        catch (Exception ex)
        {
            var steps = string.Join(Environment.NewLine, _trace);
            throw new XunitException($"Failed at {step}: {ex.Message}{Environment.NewLine}Steps:{Environment.NewLine}{steps}", ex);
        }
    }

    private string Apply(RouterOp op)
    {
        switch (op.Kind)
        {
            case OpKind.Connect:
                {
                    var name = _users[op.Tab % _users.Length];
                    var typed = op.Variant >= 2 ? name.ToUpperInvariant() : name;
                    return Connect(typed, name, $"{name}/browser{op.Variant % 2}");
                }

            case OpKind.SecondTab:
                return Choose(op.Tab, static t => t.Attached) is { } open
                    ? "second tab: " + Connect(open.User.Name, open.User.Name, open.Session)
                    : "second tab: no open tab";

            case OpKind.Disconnect:
                {
                    if (Choose(op.Tab, static t => !t.Disposed) is not { } tab)
                    {
                        return "disconnect: nothing to close";
                    }

                    Connection(tab).Dispose();
                    _model.Dispose(tab);
                    return $"{tab} disposed";
                }

            case OpKind.Pick:
                {
                    if (ChooseActor(op.Tab) is not { } tab)
                    {
                        return "pick: no tab";
                    }

                    var peer = PickTarget(tab.User, op.Variant, op.Other);
                    var actual = Connection(tab).Pick(peer);
                    var expected = _model.Pick(tab, peer);
                    Assert.Equal(expected, actual);
                    return $"{tab} picks '{peer}': {actual}";
                }

            case OpKind.Withdraw:
                {
                    if (ChooseActor(op.Tab) is not { } tab)
                    {
                        return "withdraw: no tab";
                    }

                    var actual = Connection(tab).Withdraw();
                    Assert.Equal(_model.Withdraw(tab), actual);
                    return $"{tab} withdraws: {actual}";
                }

            case OpKind.Send:
                {
                    if (ChooseSender(op.Tab, op.Other) is not { } tab)
                    {
                        return "send: no tab";
                    }

                    var (text, label) = Text(op.Variant);
                    var actual = Connection(tab).Send(text);
                    var expected = _model.Send(tab, text);
                    Assert.Equal(expected, actual.Status);
                    if (expected == SendStatus.Delivered)
                    {
                        var sent = tab.Expected[^1];
                        Assert.Equal(sent, new ModelMessage(sent.ConversationId, actual.Message!.Sequence, actual.Message.Sender, actual.Message.Text));
                    }
                    else
                    {
                        Assert.Null(actual.Message);
                    }

                    return $"{tab} sends {label}: {actual.Status}";
                }

            case OpKind.End:
                {
                    if (ChooseSender(op.Tab, op.Other) is not { } tab)
                    {
                        return "end: no tab";
                    }

                    var actual = Connection(tab).End();
                    Assert.Equal(_model.End(tab), actual);
                    return $"{tab} ends: {actual}";
                }

            case OpKind.SetReachable:
                {
                    if (ChooseActor(op.Tab) is not { } tab)
                    {
                        return "reachable: no tab";
                    }

                    var reachable = op.Variant % 2 == 1;
                    Connection(tab).SetReachable(reachable);
                    _model.SetReachable(tab, reachable);
                    return $"{tab} reachable: {reachable}";
                }

            case OpKind.SignOut:
                {
                    var name = _users[op.Tab % _users.Length];
                    var session = op.Variant switch
                    {
                        0 or 1 => $"{name}/browser{op.Variant}",
                        2 => null,
                        _ => "someone else's session",
                    };
                    Router.SignOut(op.Other == 1 ? name.ToUpperInvariant() : name, session);
                    _model.SignOut(name, session);
                    return $"{name} signs out of {session ?? "every session"}";
                }

            case OpKind.Advance:
                {
                    var by = Advances[op.Variant];
                    _fixture.Time.Advance(by);
                    _model.Advance(by);
                    return $"time +{by}";
                }

            case OpKind.Block:
                {
                    // As BlockService does once the database has the change (its limits: ChatRouterBlockTests).
                    var blocker = _users[op.Tab % _users.Length];
                    var blocked = _users[op.Other % _users.Length];
                    if (blocker == blocked)
                    {
                        return "block: oneself";
                    }

                    if (op.Variant == 2)
                    {
                        Router.ApplyUnblock(blocker, blocked);
                        _model.Unblock(blocker, blocked);
                        return $"{blocker} unblocks {blocked}";
                    }

                    Router.ApplyBlock(blocker, blocked);
                    _model.Block(blocker, blocked);
                    return $"{blocker} blocks {blocked}";
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(op), op.Kind, "Unknown operation.");
        }
    }

    private string Connect(string typed, string name, string session)
    {
        var (connection, events) = _fixture.Connect(typed, session);
        _tabs.Add((connection, events));
        var tab = _model.Connect(name, session);
        Assert.Equal(name, connection.UserName);
        Assert.Equal(_model.ViewOf(tab.User), RouterView.From(connection.Initial, connection.FindPeople(null, int.MaxValue)));
        return $"{tab} opened ({session})";
    }

    /// <summary>The people list: everyone else, online first, alphabetical; a short page is its start; a filter narrows it.</summary>
    private static void CheckPeopleList(ChatConnection connection, PeoplePage everyone)
    {
        Assert.Equal(everyone.Matches, everyone.People.Count);
        Assert.DoesNotContain(everyone.People, p => string.Equals(p.Name, connection.UserName, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(
            everyone.People.OrderBy(p => p.Status == PresenceStatus.Offline ? 1 : 0).ThenBy(p => p.Name, StringComparer.OrdinalIgnoreCase),
            everyone.People);

        var page = connection.FindPeople(null, 3);
        Assert.Equal(everyone.People.Take(3), page.People);
        Assert.Equal(everyone.Matches, page.Matches);

        // Searches matching many, some and one (more and fewer than the people online: a search walks whichever is
        // shorter), each as a short page and whole; a search ignores case.
        foreach (var filter in new[] { " 1", "SER4", "r07" })
        {
            var expected = everyone.People.Where(p => p.Name.Contains(filter.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();
            foreach (var limit in new[] { 2, int.MaxValue })
            {
                var filtered = connection.FindPeople(filter, limit);
                Assert.Equal(expected.Take(limit), filtered.People);
                Assert.Equal(expected.Count, filtered.Matches);
            }
        }
    }

    /// <summary>After every step: the router's own invariants, its counts, and every user's snapshot match the model.</summary>
    private void CheckState()
    {
        Assert.Empty(Router.FindInvariantViolations());
        Assert.Equal(_model.ConnectionCount, Router.ConnectionCount);
        Assert.Equal(_model.TrackedUsers.Count(), Router.TrackedUserCount);
        foreach (var user in _model.TrackedUsers.Where(u => u.Tabs.Count > 0))
        {
            var connection = Connection(user.Tabs[0]);
            var everyone = connection.FindPeople(null, int.MaxValue);
            Assert.Equal(_model.ViewOf(user), RouterView.From(connection.GetSnapshot(), everyone));
            CheckPeopleList(connection, everyone);
        }

        foreach (var tab in _model.Tabs.Where(t => !t.Attached))
        {
            var snapshot = Connection(tab).GetSnapshot();
            Assert.True(snapshot.Pick is null && snapshot.Conversation is null && snapshot.IncomingRequests.Count == 0, $"{tab} is closed but its snapshot holds state");
        }
    }

    /// <summary>
    /// Signs everyone out, which leaves the router empty and ends every open tab's event stream with
    /// <see cref="SignedOut"/>; once a tab has that, it has everything, so its messages are compared exactly.
    /// </summary>
    private async Task FinishAsync()
    {
        foreach (var user in _model.TrackedUsers.ToList())
        {
            Router.SignOut(user.Name, null);
            _model.SignOut(user.Name, null);
        }

        _trace.Add("end: everyone signs out");
        CheckState();
        Assert.Equal(0, Router.ConnectionCount);
        Assert.Equal(0, Router.TrackedUserCount);

        foreach (var tab in _model.Tabs)
        {
            _trace.Add($"end: checking what {tab} received");
            var events = _tabs[tab.Id].Events;
            if (tab.Disposed)
            {
                // A closed tab's delivery may stop before everything queued has reached it, never out of order.
                var got = events.Events.OfType<MessageReceived>().Select(ModelMessage.From).ToList();
                Assert.True(got.Count <= tab.Expected.Count, $"{tab} got {got.Count} messages, expected at most {tab.Expected.Count}");
                Assert.Equal(tab.Expected.Take(got.Count), got);
                continue;
            }

            await events.WaitForAsync<SignedOut>(timeout: DeliveryTimeout);
            if (tab.Expected.Count > 0)
            {
                await events.WaitForMessagesAsync(tab.Expected.Count, DeliveryTimeout);
            }

            var all = events.Events;
            Assert.Equal(tab.Expected, all.OfType<MessageReceived>().Select(ModelMessage.From));
            Assert.Single(all.OfType<SignedOut>());
            Assert.IsType<SignedOut>(all[^1]);
        }
    }

    private ChatConnection Connection(ModelTab tab) => _tabs[tab.Id].Connection;

    private ModelTab? Choose(int choice, Func<ModelTab, bool> filter)
    {
        var candidates = _model.Tabs.Where(filter).ToList();
        return candidates.Count == 0 ? null : candidates[choice % candidates.Count];
    }

    /// <summary>Mostly an open tab; a high choice may be any tab, so closed ones are exercised too.</summary>
    private ModelTab? ChooseActor(int choice) =>
        choice >= RouterOp.AnyTabFrom ? Choose(choice, static _ => true) : Choose(choice, static t => t.Attached) ?? Choose(choice, static _ => true);

    /// <summary>Sends and ends mostly come from someone in a chat, so that messages flow.</summary>
    private ModelTab? ChooseSender(int choice, int other) =>
        other % 4 != 0 && choice < RouterOp.AnyTabFrom && Choose(choice, static t => t.Attached && t.User.Conversation is not null) is { } chatting
            ? chatting
            : ChooseActor(choice);

    /// <summary>Mostly someone who picked me (so pairs form) or someone else online; now and then a bad name.</summary>
    private string PickTarget(ModelUser me, int variant, int other)
    {
        var others = _model.TrackedUsers.Where(u => u != me).ToList();
        switch (variant)
        {
            case <= 5 when _model.UsersWhoPicked(me).ToList() is { Count: > 0 } pickers:
                return pickers[other % pickers.Count].Name;
            case <= 8 when others.Count > 0:
                return others[other % others.Count].Name;
            case <= 9:
                return _users[other % _users.Length].ToUpperInvariant();
            case 10:
                return other % 2 == 0 ? "nobody" : "";
            default:
                return me.Name.ToUpperInvariant();
        }
    }

    private (string Text, string Label) Text(int variant)
    {
        var n = ++_texts;
        return variant switch
        {
            8 => ("", "empty"),
            9 => (" \t\n ", "whitespace"),
            10 => (new string('x', MaxLength + 1), "over-long"),
            11 => ($"L{n}".PadRight(MaxLength, '-'), "a text at the limit"),
            12 => (string.Concat(Enumerable.Repeat(ThumbsUp, MaxLength)), "emoji at the limit"),
            13 => (string.Concat(Enumerable.Repeat(ThumbsUp, MaxLength + 1)), "emoji over the limit"),
            14 => (string.Concat(Enumerable.Repeat(Family, 14)), "fourteen long emoji"),
            15 => ("e" + new string('\u0301', 4 * MaxLength), "one letter with too many accents"),
            16 => ("@end", "'@end'"),
            17 => (" @END ", "' @END '"),
            18 => ("@ end", "'@ end'"),
            19 => ("\t@End\r\n", "'\\t@End\\r\\n'"),
            20 => ($"@end{n}", $"'@end{n}'"),
            21 => ($"c{n}\u0007\r\n!", "control characters"),
            _ => ($"m{n}", $"'m{n}'"),
        };
    }
}
