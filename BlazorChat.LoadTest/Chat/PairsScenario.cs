using System.Diagnostics;
using System.Globalization;
using BlazorChat.LoadTest.Protocol;

namespace BlazorChat.LoadTest.Chat;

/// <summary>Settings of a pairs run: who signs in, how many pairs, how many messages each pair exchanges.</summary>
public sealed record PairsOptions
{
    public required Uri BaseAddress { get; init; }

    public int Pairs { get; init; } = 1;

    public int Messages { get; init; } = 10;

    /// <summary>Account names by number from 1 (composite format, e.g. "student{0:00}").</summary>
    public string UserNameFormat { get; init; } = "student{0:00}";

    public string PasswordFormat { get; init; } = "pass-{0}";

    public int FirstUser { get; init; } = 1;

    /// <summary>How many people sign in and open their page at once (each sign-in costs the server a PBKDF2 hash).</summary>
    public int StartConcurrency { get; init; } = 8;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Pause between a pair's messages: the app refuses more than 20 a second from one person.</summary>
    public TimeSpan SendInterval { get; init; } = TimeSpan.FromMilliseconds(100);
}

/// <summary>What a pairs run saw.</summary>
public sealed record PairsResult(LatencySummary Latency, IReadOnlyList<ReceivedMessage> Received, int Sent, TimeSpan SetUp, TimeSpan Chatting);

/// <summary>
/// N pairs of people sign in, pick each other, and exchange M messages in turn (each waits for the
/// previous message to reach them before answering), recording each message's delivery latency.
/// </summary>
public sealed class PairsScenario(PairsOptions options, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<PairsResult> RunAsync(CancellationToken cancellationToken)
    {
        using var http = new BrowserHttp(options.Timeout);
        var latencies = new LatencyRecorder();
        var received = new List<ReceivedMessage>();
        var people = Enumerable.Range(options.FirstUser, options.Pairs * 2)
            .Select(n => new ChatPerson(
                string.Format(CultureInfo.InvariantCulture, options.UserNameFormat, n),
                string.Format(CultureInfo.InvariantCulture, options.PasswordFormat, n),
                http, options.BaseAddress, options.Timeout, _time))
            .ToArray();
        foreach (var person in people)
        {
            person.MessageReceived = message =>
            {
                latencies.Record(message.Latency(_time));
                lock (received)
                {
                    received.Add(message);
                }
            };
        }

        try
        {
            var setUp = Stopwatch.StartNew();
            using (var gate = new SemaphoreSlim(options.StartConcurrency))
            {
                await Task.WhenAll(people.Select(async person =>
                {
                    await gate.WaitAsync(cancellationToken);
                    try
                    {
                        await person.SignInAsync(cancellationToken);
                        await person.OpenChatPageAsync(cancellationToken);
                    }
                    finally
                    {
                        gate.Release();
                    }
                }));
            }

            var pairs = people.Chunk(2).Select(p => (First: p[0], Second: p[1])).ToArray();
            await Task.WhenAll(pairs.Select(async pair =>
            {
                await pair.First.PickAsync(pair.Second.UserName, cancellationToken);
                await pair.Second.PickAsync(pair.First.UserName, cancellationToken);
                await pair.First.WaitUntilChattingAsync(pair.Second.UserName, cancellationToken);
                await pair.Second.WaitUntilChattingAsync(pair.First.UserName, cancellationToken);
            }));
            setUp.Stop();

            var chatting = Stopwatch.StartNew();
            var sent = 0;
            await Task.WhenAll(pairs.Select(async pair =>
            {
                for (var i = 1; i <= options.Messages; i++)
                {
                    if (i > 1 && options.SendInterval > TimeSpan.Zero)
                    {
                        await Task.Delay(options.SendInterval, _time, cancellationToken);
                    }

                    var (sender, recipient) = i % 2 == 1 ? (pair.First, pair.Second) : (pair.Second, pair.First);
                    var expected = recipient.ReceivedCount + 1;
                    await sender.SendAsync(i, $"message {i} from {sender.UserName}", cancellationToken);
                    Interlocked.Increment(ref sent);
                    try
                    {
                        await recipient.WaitForReceivedAsync(expected, cancellationToken);
                    }
                    catch (BlazorClientException ex) when (sender.SendError() is { } refused)
                    {
                        throw new BlazorClientException($"{sender.UserName}'s message {i} was refused: {refused}", ex);
                    }
                }
            }));
            chatting.Stop();

            lock (received)
            {
                return new PairsResult(latencies.Summarize(), [.. received], sent, setUp.Elapsed, chatting.Elapsed);
            }
        }
        finally
        {
            await Task.WhenAll(people.Select(async person => await person.DisposeAsync()));
        }
    }
}
