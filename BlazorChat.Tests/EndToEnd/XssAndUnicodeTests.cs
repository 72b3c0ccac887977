using Microsoft.Playwright;
using static BlazorChat.Tests.EndToEnd.ChatBrowserActions;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.Tests.EndToEnd;

/// <summary>
/// Hostile and unusual text sent through the real UI: markup is shown as the characters typed and never runs;
/// every script of the world, emoji sequence and bidi control round-trips exactly and does not flip the layout.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class XssAndUnicodeTests(BrowserFixture fixture)
{
    /// <summary>Each payload, if it ever ran, sets window.__xss or opens a dialog. All are one line (the box is a text input).</summary>
    public static readonly string[] XssPayloads =
    [
        "<script>window.__xss=1</script>",
        "<SCRIPT>window.__xss=1</SCRIPT>",
        "<script src=data:text/javascript,window.__xss=1></script>",
        "<scr<script>ipt>window.__xss=1</scr</script>ipt>",
        "</script><script>window.__xss=1</script>",
        "<script>alert(document.domain)</script>",
        "<img src=x onerror=window.__xss=1>",
        "<IMG SRC=x OnErRoR=window.__xss=1>",
        "<img src=x onerror=\"window.__xss=1\">",
        "<img src=x onerror=alert(1)>",
        "<img src=x onerror=confirm(1)>",
        "<img src=x onerror=prompt(1)>",
        "<img src=x:alert(alt) onerror=eval(src) alt=0>",
        "<img srcset=\",,,,,x\" onerror=window.__xss=1>",
        "\"><img src=x onerror=window.__xss=1>",
        "'><img src=x onerror=window.__xss=1>",
        "\" onmouseover=\"window.__xss=1",
        "' onfocus='window.__xss=1' autofocus='",
        "` onmouseover=window.__xss=1 `",
        "</div><img src=x onerror=window.__xss=1>",
        "</textarea><img src=x onerror=window.__xss=1>",
        "</title><img src=x onerror=window.__xss=1>",
        "</style><img src=x onerror=window.__xss=1>",
        "<svg onload=window.__xss=1>",
        "<svg/onload=alert(1)>",
        "<svg><script>window.__xss=1</script></svg>",
        "<svg><animate onbegin=window.__xss=1 attributeName=x dur=1s>",
        "<svg><a xlink:href=\"javascript:window.__xss=1\"><text x=20 y=20>x</text></a></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
        "<body onload=window.__xss=1>",
        "<a href=\"javascript:window.__xss=1\">click me</a>",
        "<a href=# onclick=window.__xss=1>click me</a>",
        "javascript:window.__xss=1",
        "data:text/html,<script>window.__xss=1</script>",
        "<iframe src=\"javascript:parent.__xss=1\"></iframe>",
        "<iframe srcdoc=\"<script>parent.__xss=1</script>\"></iframe>",
        "<iframe srcdoc=\"&lt;img src=x onerror=parent.__xss=1&gt;\"></iframe>",
        "<template><img src=x onerror=window.__xss=1></template>",
        "<template shadowrootmode=open><img src=x onerror=window.__xss=1></template>",
        "<object data=\"javascript:window.__xss=1\"></object>",
        "<object type=text/html data=\"data:text/html,<script>parent.__xss=1</script>\"></object>",
        "<embed src=\"javascript:window.__xss=1\">",
        "<details open ontoggle=window.__xss=1>",
        "<input autofocus onfocus=window.__xss=1>",
        "<select autofocus onfocus=window.__xss=1>",
        "<textarea autofocus onfocus=window.__xss=1></textarea>",
        "<x contenteditable autofocus onfocus=window.__xss=1>",
        "<video><source onerror=window.__xss=1></video>",
        "<audio src=x onerror=window.__xss=1>",
        "<input type=image src=x onerror=window.__xss=1>",
        "<form><button formaction=javascript:window.__xss=1>go</button></form>",
        "<marquee onstart=window.__xss=1>",
        "<style>@import 'javascript:window.__xss=1';</style>",
        "<style onload=window.__xss=1></style>",
        "<div style=\"background:url(javascript:window.__xss=1)\">",
        "<div style=\"width:expression(window.__xss=1)\">",
        "<link rel=stylesheet href=\"javascript:window.__xss=1\">",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:window.__xss=1\">",
        "<base href=\"javascript:window.__xss=1//\">",
        "<noscript><p title=\"</noscript><img src=x onerror=window.__xss=1>\">",
        "<!--<img src=\"--><img src=x onerror=window.__xss=1//\">",
        "<![CDATA[<img src=x onerror=window.__xss=1>]]>",
        "&lt;img src=x onerror=window.__xss=1&gt;",
        "&#60;script&#62;window.__xss=1&#60;/script&#62;",
        "%3Cscript%3Ewindow.__xss=1%3C/script%3E",
        "\\u003cscript\\u003ewindow.__xss=1\\u003c/script\\u003e",
        "{{constructor.constructor('window.__xss=1')()}}",
        "${window.__xss=1}",
        "@((MarkupString)\"<img src=x onerror=window.__xss=1>\")",
        "<!--Blazor:{\"type\":\"server\",\"sequence\":0,\"descriptor\":\"x\"}-->",
        "<div id=message-input>clobbered</div><form id=blazorChat></form>",
    ];

    /// <summary>Each is sent as one message and must come back exactly (the router strips only C0 controls).</summary>
    public static readonly string[] UnicodeMessages =
    [
        "👩‍👩‍👧‍👦 family (ZWJ)",
        "👍🏽 👋🏿 🧑🏻‍💻 skin tones",
        "🏳️‍🌈 🏴‍☠️ 🇵🇰 🏴󠁧󠁢󠁳󠁣󠁴󠁿 flags",
        "مرحبا بالعالم",
        "السلام علیکم، آپ کیسے ہیں؟",
        "שָׁלוֹם עוֹלָם",
        "hello مرحبا 123 world",
        "e\u0301 n\u0303 a\u0300\u0301\u0302 Z\u0351\u0352\u0353\u0354a\u0335\u0336lgo",
        "می\u200Cخواهم a\u200Db x\u200By \u2060 word\u00ADbreak",
        "\u202Eevil.exe\u202C and \u202Dforced LTR\u202C",
        "\u2066isolate\u2069 \u2067rtl isolate\u2069 \u2068first strong\u2069",
        "\u200Fright mark\u200E left mark \u202Bembedding\u202C",
        "你好，世界 नमस्ते สวัสดี தமிழ்",
        "𝕳𝖊𝖑𝖑𝖔 𝟙𝟚𝟛 𓀀 ☺\uFE0E ☺\uFE0F",
        "zero width no-break\uFEFFspace, \uFFFD replacement\tand a tab, line\u2028and paragraph\u2029separators",
        "abc\u202Edef override left open (kept last: the next message must not be affected)",
    ];

    [Fact]
    public async Task XssCorpus_IsShownLiterallyOnBothSidesAndNothingRuns()
    {
        Assert.True(XssPayloads.Length >= 50, $"the corpus has only {XssPayloads.Length} payloads");
        await using var firstContext = await fixture.Browser.NewContextAsync();
        await using var secondContext = await fixture.Browser.NewContextAsync();
        var first = await fixture.SignInAsync(firstContext, "student14", "pass-14");
        var second = await fixture.SignInAsync(secondContext, "student15", "pass-15");
        var dialogs = 0;
        foreach (var page in (IPage[])[first, second])
        {
            page.Dialog += (_, dialog) =>
            {
                Interlocked.Increment(ref dialogs);
                _ = dialog.DismissAsync();
            };
        }

        await BrowserFixture.PairAsync(first, "student14", second, "student15");

        // Taking turns exercises the sender's own copy and the partner's copy both ways, and keeps each person
        // well under the 20-messages-a-second send limit however fast the machine is.
        for (var i = 0; i < XssPayloads.Length; i++)
        {
            await SendAsync(i % 2 == 0 ? first : second, XssPayloads[i]);
        }

        foreach (var page in (IPage[])[first, second])
        {
            await Expect(MessageTexts(page)).ToHaveCountAsync(XssPayloads.Length);
            Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.__xss"));
            Assert.Equal("object", await page.EvaluateAsync<string>("() => typeof window.blazorChat"));

            // Nothing was parsed as markup: each message holds exactly its own four elements, and the log holds
            // the notice and the messages only.
            await Expect(page.Locator("[data-testid=message] *:not([data-testid=seen])")).ToHaveCountAsync(4 * XssPayloads.Length);
            await Expect(page.Locator(".chat-messages > *")).ToHaveCountAsync(1 + XssPayloads.Length);
            await Expect(page.Locator("body iframe, body object, body embed, .chat-panel img, .chat-panel svg:not(.mud-icon-root)")).ToHaveCountAsync(0);
            Assert.Equal(XssPayloads, await MessageTexts(page).AllTextContentsAsync());
            await Expect(page.Locator(".chat-page[data-interactive=true]")).ToBeVisibleAsync();
        }

        Assert.Equal(0, Volatile.Read(ref dialogs));

        // The page still works after all that: a plain message goes through and the chat ends cleanly.
        await SendAsync(second, "still fine");
        await Expect(MessageTexts(first).Last).ToHaveTextAsync("still fine");
        await EndChatAsync(first);
    }

    [Fact]
    public async Task UnicodeCorpus_RoundTripsExactlyWithDirAuto_AndRtlDoesNotFlipTheLayout()
    {
        await using var people = await fixture.SignInPairAsync(
            BrowserFixture.Student(16),
            BrowserFixture.Student(17),
            new() { ViewportSize = new() { Width = 1024, Height = 900 } },
            new() { ViewportSize = new() { Width = 390, Height = 844 } });
        var (desktop, phone) = (people.First, people.Second);

        await SendAsync(phone, "plain left-to-right reply");
        // One person sends these back to back: 17 messages stay within the send limit's burst of 20.
        foreach (var text in UnicodeMessages)
        {
            await SendAsync(desktop, text);
        }

        await SendAsync(desktop, "after all of that");
        string[] expected = ["plain left-to-right reply", .. UnicodeMessages, "after all of that"];
        foreach (var page in (IPage[])[desktop, phone])
        {
            await Expect(MessageTexts(page)).ToHaveCountAsync(expected.Length);
            Assert.Equal(expected, await MessageTexts(page).AllTextContentsAsync());
            Assert.All(await MessageTexts(page).EvaluateAllAsync<string?[]>("ts => ts.map(t => t.getAttribute('dir'))"), dir => Assert.Equal("auto", dir));
            Assert.Equal("ltr", await page.EvaluateAsync<string>("() => getComputedStyle(document.body).direction"));
        }

        // Own bubbles stay on the right and the partner's on the left, whatever script they hold.
        foreach (var (page, mine) in ((IPage, int)[])[(desktop, UnicodeMessages.Length + 1), (phone, 1)])
        {
            var boxes = await page.Locator("[data-testid=message]").EvaluateAllAsync<BubbleBox[]>(
                "ms => ms.map(m => { const r = m.getBoundingClientRect(); return { left: r.left, right: r.right, mine: m.classList.contains('mine') }; })");
            var own = boxes.Where(b => b.Mine).ToArray();
            var theirs = boxes.Where(b => !b.Mine).ToArray();
            var column = await page.Locator(".chat-messages").BoundingBoxAsync();
            Assert.Equal(mine, own.Length);
            Assert.Equal(expected.Length - mine, theirs.Length);
            Assert.All(own, b => Assert.Equal(column!.X + column.Width, b.Right, 1.0));
            Assert.All(theirs, b => Assert.Equal(column!.X, b.Left, 1.0));
        }

        // An override left open inside one message ends with it: the next message and every name and time read left to right.
        foreach (var page in (IPage[])[desktop, phone])
        {
            Assert.False(await FirstLetterIsLeftOfLastAsync(MessageTexts(page).Filter(new() { HasText = "مرحبا بالعالم" })), "Arabic is not drawn right to left");
            Assert.True(await FirstLetterIsLeftOfLastAsync(MessageTexts(page).Last), "the message after the open override runs right to left");
            var metaInOrder = await page.Locator(".message-meta").EvaluateAllAsync<bool[]>(
                "ms => ms.map(m => m.querySelector('.message-sender').getBoundingClientRect().left < m.querySelector('time').getBoundingClientRect().left)");
            Assert.All(metaInOrder, Assert.True);
        }

        await Expect(desktop.GetByRole(AriaRole.Button, new() { Name = "End chat" })).ToBeVisibleAsync();
        var title = await desktop.GetByTestId("chat-partner").BoundingBoxAsync();
        var end = await desktop.GetByRole(AriaRole.Button, new() { Name = "End chat" }).BoundingBoxAsync();
        Assert.True(title!.X < end!.X, "the chat header is mirrored");
        await EndChatAsync(phone);
    }

    [Fact]
    public async Task LeadingZeroWidthNoBreakSpace_IsShownAsSent()
    {
        await using var people = await fixture.SignInPairAsync(BrowserFixture.Student(18), BrowserFixture.Student(19));
        var (sender, reader) = (people.First, people.Second);

        const string Text = "\uFEFF\uFEFFstarts with two byte order marks";
        await SendAsync(sender, Text);

        await Expect(MessageTexts(reader)).ToHaveCountAsync(1);
        await Expect(MessageTexts(sender)).ToHaveCountAsync(1);
        var shownToReader = await MessageTexts(reader).TextContentAsync();
        var shownToSender = await MessageTexts(sender).TextContentAsync();
        await EndChatAsync(reader);
        Assert.Equal(Text, shownToReader);
        Assert.Equal(Text, shownToSender);
    }

    /// <summary>True when the element's first character is drawn to the left of its last (it reads left to right).</summary>
    private static Task<bool> FirstLetterIsLeftOfLastAsync(ILocator element) => element.EvaluateAsync<bool>(
        """
        e => {
            const text = e.firstChild, range = document.createRange();
            range.setStart(text, 0); range.setEnd(text, 1);
            const first = range.getBoundingClientRect().left;
            range.setStart(text, text.length - 1); range.setEnd(text, text.length);
            return first < range.getBoundingClientRect().left;
        }
        """);

    /// <summary>Where a message bubble is drawn (Playwright fills it from the page's plain object).</summary>
    private sealed class BubbleBox
    {
        public double Left { get; set; }

        public double Right { get; set; }

        public bool Mine { get; set; }
    }
}
