using BlazorChat.Chat;

namespace BlazorChat.Tests.Chat;

/// <summary>Sending in a chat: who receives what and in which order, the message-text rules, and the transcript a tab is shown.</summary>
public sealed class ChatRouterSendTests
{
    private readonly RouterFixture _fixture = new();

    private ChatRouter Router => _fixture.Router;

    [Fact]
    public async Task Send_ReachesPartnerOnlyInOrder()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        var (_, hiraEvents) = _fixture.Connect("hira");
        string[] texts = [.. Enumerable.Range(1, 50).Select(i => $"message {i}")];

        foreach (var text in texts)
        {
            Assert.Equal(SendStatus.Delivered, pair.A.Send(text).Status);
        }

        var received = await pair.BEvents.WaitForMessagesAsync(texts.Length);
        Assert.Equal(texts, received.Select(m => m.Text));
        Assert.All(received, m => Assert.Equal("hamza", m.Sender));
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), received.Select(m => m.Sequence));
        var echoed = await pair.AEvents.WaitForMessagesAsync(texts.Length);
        Assert.Equal(texts, echoed.Select(m => m.Text));
        // Hira's events arrive in order: once a request sent after the messages has reached her, so would they have.
        _fixture.Connect("rushna").Connection.Pick("hira");
        await hiraEvents.WaitForAsync<ChatRequestReceived>();
        Assert.DoesNotContain(hiraEvents.Events, e => e is MessageReceived);
    }

    [Fact]
    public async Task Send_BothWays_KeepsOneOrderForBoth()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");

        var sends = new[]
        {
            Task.Run(() => { for (var i = 0; i < 200; i++) { pair.A.Send($"a{i}"); } }),
            Task.Run(() => { for (var i = 0; i < 200; i++) { pair.B.Send($"b{i}"); } }),
        };
        await Task.WhenAll(sends);

        var atA = await pair.AEvents.WaitForMessagesAsync(400);
        var atB = await pair.BEvents.WaitForMessagesAsync(400);
        Assert.Equal(atA.Select(m => m.Text), atB.Select(m => m.Text));
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"a{i}"), atA.Where(m => m.Sender == "hamza").Select(m => m.Text));
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"b{i}"), atA.Where(m => m.Sender == "karam").Select(m => m.Text));
    }

    [Fact]
    public async Task Send_SeveralPairsAtOnce_NoMessageCrossesPairs()
    {
        var first = await _fixture.PairAsync("hamza", "karam");
        var second = await _fixture.PairAsync("hira", "rushna");

        first.A.Send("for karam");
        second.A.Send("for rushna");

        Assert.Equal("for karam", (await first.BEvents.WaitForMessagesAsync(1)).Single().Text);
        Assert.Equal("for rushna", (await second.BEvents.WaitForMessagesAsync(1)).Single().Text);
        Assert.DoesNotContain(first.BEvents.Messages, m => m.Text == "for rushna");
        Assert.DoesNotContain(second.BEvents.Messages, m => m.Text == "for karam");
    }

    [Fact]
    public void Send_WithoutAChat_IsRefused()
    {
        var (hamza, _) = _fixture.Connect("hamza");

        Assert.Equal(SendStatus.NotInChat, hamza.Send("hello").Status);
    }

    [Fact]
    public async Task Send_ThrowingSubscriber_DoesNotStopDeliveryToOthers()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        var throwing = Router.Connect("karam", _ => throw new InvalidOperationException("broken tab"));
        Router.Connect("karam", async _ => await Task.Delay(50));

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(SendStatus.Delivered, pair.A.Send($"m{i}").Status);
        }

        Assert.Equal(10, (await pair.BEvents.WaitForMessagesAsync(10)).Count);
        Assert.Equal(10, (await pair.AEvents.WaitForMessagesAsync(10)).Count);
        Assert.False(throwing.IsDisposed);
    }

    [Fact]
    public async Task Send_HangingSubscriber_DoesNotBlockTheSender()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        TaskCompletionSource never = new();
        Router.Connect("karam", _ => never.Task);

        var result = await Task.Run(() => pair.A.Send("hello")).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(SendStatus.Delivered, result.Status);
        Assert.Equal("hello", (await pair.BEvents.WaitForMessagesAsync(1)).Single().Text);
    }

    [Fact]
    public async Task Send_StampsTimeFromTheTimeProvider()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        _fixture.Time.Advance(TimeSpan.FromMinutes(5));

        var result = pair.A.Send("hi");

        Assert.Equal(_fixture.Time.GetUtcNow(), result.Message!.SentAt);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\n\t ")]
    [InlineData("\u200B")]
    [InlineData("\u2060\uFEFF \u200D")]
    [InlineData("\u202E\u200F")]
    [InlineData("\U000E0041\u0085")]
    public async Task Send_EmptyWhitespaceOrInvisibleOnly_IsIgnored(string text)
    {
        var pair = await _fixture.PairAsync("hamza", "karam");

        var result = pair.A.Send(text);

        Assert.Equal(SendStatus.Ignored, result.Status);
        Assert.Empty(pair.A.GetSnapshot().Conversation!.Messages);
    }

    [Fact]
    public async Task Send_OverTheLimit_IsRefusedAndNotDelivered()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");

        var atLimit = pair.A.Send(new string('x', 4000));
        var overLimit = pair.A.Send(new string('x', 4001));

        Assert.Equal(SendStatus.Delivered, atLimit.Status);
        Assert.Equal(SendStatus.TooLong, overLimit.Status);
        Assert.Single(pair.B.GetSnapshot().Conversation!.Messages);
    }

    [Fact]
    public async Task Send_LimitCountsEmojiAsOneCharacter()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        const string thumbsUp = "👍🏽"; // one text element, four UTF-16 units
        const string family = "👩‍👩‍👧‍👦"; // one text element, eleven UTF-16 units

        var atLimit = pair.A.Send(string.Concat(Enumerable.Repeat(thumbsUp, 4000)));
        var overLimit = pair.A.Send(string.Concat(Enumerable.Repeat(thumbsUp, 4001)));
        var families = pair.A.Send(string.Concat(Enumerable.Repeat(family, 1000)));

        Assert.Equal(SendStatus.Delivered, atLimit.Status);
        Assert.Equal(SendStatus.TooLong, overLimit.Status);
        Assert.Equal(SendStatus.Delivered, families.Status);
    }

    [Fact]
    public async Task Send_FewCharactersMadeOfThousandsOfCombiningMarks_IsRefused()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        var zalgo = "e" + new string('\u0301', 16_000);

        var result = pair.A.Send(zalgo);

        Assert.Equal(SendStatus.TooLong, result.Status);
        Assert.Equal(16_000, Router.MaxMessageUnits);
    }

    [Fact]
    public async Task Send_FewLettersPaddedWithThousandsOfInvisibleTagCharacters_IsRefused()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        // One text element of 7,995 code points (15,990 UTF-16 units): five characters to a reader, ~32 KB to the server.
        var padded = "hello" + string.Concat(Enumerable.Range(0, 7_990).Select(i => char.ConvertFromUtf32(0xE0020 + (i % 0x5F))));

        var result = pair.A.Send(padded);

        Assert.Equal(SendStatus.TooLong, result.Status);
        Assert.Empty(pair.B.GetSnapshot().Conversation!.Messages);
    }

    [Fact]
    public async Task Send_EmojiSequencesOfUpToTenCodePoints_CountAsOneCharacterEach()
    {
        // Ten characters allow 40 UTF-16 units.
        var fixture = new RouterFixture(new ChatOptions { LeaveGrace = TimeSpan.Zero, ReconnectGrace = TimeSpan.Zero, MaxMessageLength = 10, MaxMessagesPerSecond = 0 });
        var pair = await fixture.PairAsync("hamza", "karam");
        const string england = "🏴󠁧󠁢󠁥󠁮󠁧󠁿"; // a black flag and six tag characters: 7 code points, 14 units
        const string kiss = "👩🏻‍❤️‍💋‍👨🏼"; // 10 code points, 15 units
        var eleven = "e" + new string('\u0301', 10); // a letter with ten combining marks: 11 code points

        Assert.Equal(SendStatus.Delivered, pair.A.Send(england + kiss).Status); // 17 code points, 2 characters
        Assert.Equal(SendStatus.Delivered, pair.A.Send(eleven + "abcdefgh").Status); // counts as 2 + 8
        Assert.Equal(SendStatus.TooLong, pair.A.Send(eleven + "abcdefghi").Status); // counts as 2 + 9
    }

    [Fact]
    public async Task Send_MarkupAndUnicode_ArriveExactlyAsTyped()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");
        const string text = "<script>alert('x')</script> مرحبا 👍🏽 e\u0301";

        pair.A.Send(text);

        Assert.Equal(text, (await pair.BEvents.WaitForMessagesAsync(1)).Single().Text);
    }

    [Theory]
    [InlineData("\u200Bhi")]
    [InlineData("\uFEFF\uFEFFstarts with two byte order marks")]
    [InlineData("\U0001F600")]
    [InlineData("\u0301")]
    [InlineData("\u06DD")]
    [InlineData("\U000110BD")]
    public async Task Send_WithAnythingVisible_IsDeliveredAsTyped(string text)
    {
        var pair = await _fixture.PairAsync("hamza", "karam");

        Assert.Equal(SendStatus.Delivered, pair.A.Send(text).Status);

        Assert.Equal(text, (await pair.BEvents.WaitForMessagesAsync(1)).Single().Text);
    }

    [Fact]
    public async Task Send_ControlCharacters_AreRemovedButNewlinesAndTabsKept()
    {
        var pair = await _fixture.PairAsync("hamza", "karam");

        pair.A.Send("a\u0000b\u0007c\r\nd\te");

        Assert.Equal("abc\nd\te", (await pair.BEvents.WaitForMessagesAsync(1)).Single().Text);
    }

    [Fact]
    public async Task Transcript_KeepsOnlyTheNewestMessagesUpToTheLimit()
    {
        var fixture = new RouterFixture(new ChatOptions { LeaveGrace = TimeSpan.Zero, ReconnectGrace = TimeSpan.Zero, TranscriptLimit = 10, MaxMessagesPerSecond = 0 });
        var pair = await fixture.PairAsync("hamza", "karam");

        for (var i = 1; i <= 25; i++)
        {
            pair.A.Send($"m{i}");
        }

        var kept = pair.B.GetSnapshot().Conversation!.Messages;
        Assert.Equal(Enumerable.Range(16, 10).Select(i => $"m{i}"), kept.Select(m => m.Text));
        Assert.Equal(25, (await pair.BEvents.WaitForMessagesAsync(25)).Count);
    }

    [Fact]
    public async Task Transcript_KeepsOnlyTheNewestMessagesWithinItsBytes()
    {
        var fixture = new RouterFixture(new ChatOptions { LeaveGrace = TimeSpan.Zero, ReconnectGrace = TimeSpan.Zero, TranscriptBytes = 64 * 1024, MaxMessagesPerSecond = 0 });
        var pair = await fixture.PairAsync("hamza", "karam");

        for (var i = 1; i <= 5; i++)
        {
            Assert.Equal(SendStatus.Delivered, pair.A.Send(string.Concat(Enumerable.Repeat("👍🏽", 4_000))).Status); // 32,000 bytes each
        }

        var kept = pair.B.GetSnapshot().Conversation!.Messages;
        Assert.Equal([4L, 5L], kept.Select(m => m.Sequence));
    }
}
