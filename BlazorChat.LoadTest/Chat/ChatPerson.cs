using System.Text.Encodings.Web;
using BlazorChat.LoadTest.Protocol;

namespace BlazorChat.LoadTest.Chat;

/// <summary>
/// One simulated person using BlazorChat's real pages: signs in through the form, opens the chat page's
/// circuit, picks a partner from the user list, types into the message box and presses Enter, and
/// recognises the stamped messages that reach their page.
/// </summary>
public sealed class ChatPerson : IAsyncDisposable
{
    public const string AllowedNotice = "you are allowed to chat now";
    public const string SearchLabel = "Search people";
    public const string EndCommand = "@end";

    private readonly BrowserSession _session;
    private readonly JsInterop _interop;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private BlazorCircuit? _circuit;
    private int _received;

    public ChatPerson(string userName, string password, BrowserHttp http, Uri baseAddress, TimeSpan timeout, TimeProvider? time = null, JsInterop? interop = null)
    {
        UserName = userName;
        Password = password;
        _session = new BrowserSession(http, baseAddress);
        _time = time ?? TimeProvider.System;
        _timeout = timeout;
        _interop = interop ?? JsInterop.ForBlazorChat();
    }

    // Another tab of first: the same person and cookies, a page of its own.
    private ChatPerson(ChatPerson first)
    {
        UserName = first.UserName;
        Password = first.Password;
        _session = first._session;
        _time = first._time;
        _timeout = first._timeout;
        _interop = first._interop;
    }

    public string UserName { get; }

    /// <summary>This person's cookies and HTTP connection, for requests a page's script makes (file uploads).</summary>
    public BrowserSession Session => _session;

    public string Password { get; }

    /// <summary>Called for each stamped message from someone else, on the connection's receive loop.</summary>
    public Action<ReceivedMessage>? MessageReceived { get; set; }

    public int ReceivedCount => Volatile.Read(ref _received);

    /// <summary>The first thing that went wrong with this person's page, or null.</summary>
    public Exception? Failure => _circuit?.Failure;

    public BlazorCircuit Circuit => _circuit ?? throw new InvalidOperationException("The chat page is not open.");

    public Task SignInAsync(CancellationToken cancellationToken) => _session.SignInAsync(UserName, Password, cancellationToken);

    /// <summary>Opens "/" and waits until the page is live (the chat page's data-interactive="true").</summary>
    public async Task OpenChatPageAsync(CancellationToken cancellationToken)
    {
        _circuit = new BlazorCircuit(_session, _interop, _timeout, _time) { TextRendered = OnTextRendered };
        await _circuit.StartAsync("", cancellationToken);
        await _circuit.WaitForAsync(
            "the chat page to become interactive",
            page => page.Document.Find(e => e.Attribute("data-interactive") == "true") is not null,
            cancellationToken);
    }

    /// <summary>Another tab of this signed-in person (same cookies); its page is not open yet.</summary>
    public ChatPerson NewTab() => new(this);

    /// <summary>
    /// Opens "/" as <see cref="OpenChatPageAsync"/> does, but a refusal is an answer rather than a failure: null once
    /// the page is live (the people list or a chat shown), else what refused it (an error, the circuit closed, a
    /// page that became interactive without the list or showed an alert instead, or no answer in time).
    /// </summary>
    public async Task<string?> TryOpenChatPageAsync(CancellationToken cancellationToken)
    {
        try
        {
            _circuit = new BlazorCircuit(_session, _interop, _timeout, _time) { TextRendered = OnTextRendered };
            await _circuit.StartAsync("", cancellationToken);
            if (!await _circuit.TryWaitForAsync(page => IsLive(page) || Refusal(page) is not null, _timeout, cancellationToken))
            {
                return $"the page did not become interactive within {_timeout.TotalSeconds:0} s";
            }

            return _circuit.Query(page => IsLive(page) ? null : Refusal(page));
        }
        catch (BlazorClientException ex)
        {
            return ex.Message;
        }

        static bool IsLive(RenderedPage page) =>
            page.Document.Find(e => e.Attribute("data-interactive") == "true") is not null
            && page.Document.Find(e => (e.Name == "ul" && e.Attribute("aria-label") == "People") || e.Attribute("data-testid") == "chat-partner") is not null;

        static string? Refusal(RenderedPage page) =>
            page.Document.Find(e => e.Attribute("role") == "alert") is { } alert ? $"the page said: {alert.TextContent.Trim()}"
            : page.Document.Find(e => e.Attribute("data-interactive") == "true") is not null ? "the page became interactive without the people list"
            : null;
    }

    /// <summary>Keeps only what an open page needs: a crowd of idle people must stay small.</summary>
    public void Slim() => _circuit?.ReleaseStartState();

    /// <summary>
    /// Presses "Chat" next to peer in the user list (nothing to do when their chat is already open). The list
    /// shows one page of people; someone not on it is found first by typing their name into "Search people".
    /// </summary>
    public async Task PickAsync(string peer, CancellationToken cancellationToken)
    {
        await Circuit.WaitForAsync(
            $"{peer}'s Chat button or the search box in {UserName}'s user list",
            page => ChatButton(page, peer) is not null || IsChattingWith(page, peer) || SearchBox(page) is not null,
            cancellationToken);
        if (Circuit.Query(page => IsChattingWith(page, peer)))
        {
            return;
        }

        if (Circuit.Query(page => ChatButton(page, peer) is null))
        {
            var searched = await Circuit.DispatchEventsAsync($"{UserName}'s search box", page =>
                SearchBox(page) is { } search ? [new(search, new { value = peer }, peer)] : null, cancellationToken);
            await searched;
            await Circuit.WaitForAsync(
                $"{peer}'s Chat button after searching for them in {UserName}'s user list",
                page => ChatButton(page, peer) is not null || IsChattingWith(page, peer),
                cancellationToken);
            if (Circuit.Query(page => IsChattingWith(page, peer)))
            {
                return;
            }
        }

        var handled = await Circuit.DispatchEventsAsync($"{peer}'s Chat button", page =>
            ChatButton(page, peer) is { } click ? [new(click, new { person = peer, action = "chat" })] : null, cancellationToken);
        await handled;
    }

    /// <summary>Waits until the page shows the chat with peer and "you are allowed to chat now".</summary>
    public Task WaitUntilChattingAsync(string peer, CancellationToken cancellationToken) =>
        Circuit.WaitForAsync($"{UserName}'s chat with {peer} to open", page => IsChattingWith(page, peer), cancellationToken);

    /// <summary>
    /// Types a stamped message into the message box and presses Enter: one "chatsend" event carrying the text,
    /// as js/blazorchat.js raises it (typing sends no text). Returns the stamp once the server has handled it.
    /// </summary>
    public async Task<StampedMessage> SendAsync(int sequence, string payload, CancellationToken cancellationToken)
    {
        await Circuit.WaitForAsync($"{UserName}'s message box", page => SendEvent(page) is not null, cancellationToken);
        var stamp = default(StampedMessage);
        var handled = await Circuit.DispatchEventsAsync($"{UserName}'s message box", page =>
        {
            if (SendEvent(page) is not { } send)
            {
                return null;
            }

            // Stamped as the events leave: the latency is the server's and the network's, not our queueing.
            stamp = new StampedMessage(UserName, sequence, _time.GetTimestamp());
            var text = stamp.Format(payload);
            return [new(send, new { text }, text)];
        }, cancellationToken);
        await handled;
        return stamp;
    }

    /// <summary>
    /// Types into the message box as a person does before sending: the one "chattyping" event js/blazorchat.js raises
    /// (at most once per the box's data-typing-interval; a send restarts that wait). Returns once the server has handled it.
    /// </summary>
    public async Task TypeAsync(CancellationToken cancellationToken)
    {
        var handled = await Circuit.DispatchEventsAsync($"{UserName}'s message box (typing)", page =>
            TypingEvent(page) is { } typing ? [new(typing, new { })] : null, cancellationToken);
        await handled;
    }

    /// <summary>
    /// Presses Enter with text in the message box, unstamped and unchecked; returns once the event is on its way,
    /// with the task of the server handling it (so a caller can keep several on their way).
    /// </summary>
    public Task<Task> PressEnterAsync(string text, CancellationToken cancellationToken) =>
        Circuit.DispatchEventsAsync($"{UserName}'s message box", page =>
            SendEvent(page) is { } send ? [new(send, new { text }, text)] : null, cancellationToken);

    /// <summary>
    /// Types text into "Search people" as one input event carrying only the event's value: a browser also sends it
    /// as the field's value, which for a very long text would pass the hub's message size limit twice over.
    /// </summary>
    public Task<Task> SearchAsync(string text, CancellationToken cancellationToken) =>
        Circuit.DispatchEventsAsync($"{UserName}'s search box", page =>
            SearchBox(page) is { } search ? [new(search, new { value = text })] : null, cancellationToken);

    /// <summary>The value of the message box's maxlength: the most UTF-16 units a browser lets one type.</summary>
    public int MessageBoxMaxLength() =>
        Circuit.Query(page => page.Document.Find(e => e.Attribute("id") == "message-input")?.Attribute("maxlength")) is { } max
            && int.TryParse(max, System.Globalization.CultureInfo.InvariantCulture, out var units)
            ? units
            : throw new BlazorClientException($"{UserName}'s message box has no maxlength.");

    /// <summary>
    /// Presses the button of peer's row in the people list, as a click on it reports to the list's one handler:
    /// action "chat" picks them, "withdraw" withdraws the request. Returns once the server has handled it.
    /// </summary>
    public async Task ClickPersonAsync(string peer, string action, CancellationToken cancellationToken)
    {
        var handled = await Circuit.DispatchEventsAsync($"{UserName}'s people list", page =>
            PeopleClick(page) is { } click ? [new(click, new { person = peer, action })] : null, cancellationToken);
        await handled;
    }

    /// <summary>
    /// Waits until the page shows "waiting for peer" (waiting) or no longer does; false if it did not within
    /// timeout (a refused pick), which leaves the page as it was.
    /// </summary>
    public Task<bool> TryWaitUntilWaitingAsync(string peer, bool waiting, TimeSpan timeout, CancellationToken cancellationToken) =>
        Circuit.TryWaitForAsync(page =>
            (page.Document.Find(e => e.Attribute("data-testid") == "waiting")?.TextContent.Contains($"waiting for {peer}", StringComparison.Ordinal) == true) == waiting,
            timeout, cancellationToken);

    /// <summary>
    /// Presses "Show earlier messages" if the chat shows it; returns false when it does not, else once the server
    /// has handled the click and the page shows more messages than before.
    /// </summary>
    public async Task<bool> ShowEarlierAsync(CancellationToken cancellationToken)
    {
        var shown = ShownMessages();
        if (Circuit.Query(page => page.Document.Find(e => e.Attribute("data-testid") == "show-earlier")?.Event("click")) is null)
        {
            return false;
        }

        var handled = await Circuit.DispatchEventsAsync($"{UserName}'s Show earlier messages", page =>
            page.Document.Find(e => e.Attribute("data-testid") == "show-earlier")?.Event("click") is { } click
                ? [new(click, new { type = "click", detail = 1, button = 0, buttons = 0 })]
                : null,
            cancellationToken);
        await handled;
        await Circuit.WaitForAsync($"{UserName}'s page to show more than {shown} messages", page => Shown(page) > shown, cancellationToken);
        return true;
    }

    /// <summary>Messages the chat shows.</summary>
    public int ShownMessages() => Circuit.Query(Shown);

    private static int Shown(RenderedPage page) =>
        page.Document.Find(e => e.Attribute("role") == "log")?.Descendants().Count(e => e.Attribute("data-testid") == "message") ?? 0;

    /// <summary>Types "@end" and presses Enter, then waits until the page is back on the user list.</summary>
    public async Task EndChatAsync(CancellationToken cancellationToken)
    {
        await Circuit.WaitForAsync($"{UserName}'s message box", page => SendEvent(page) is not null, cancellationToken);
        var handled = await Circuit.DispatchEventsAsync($"{UserName}'s message box", page =>
            SendEvent(page) is { } send ? [new(send, new { text = EndCommand }, EndCommand)] : null,
            cancellationToken);
        await handled;
        await WaitUntilNotChattingAsync(cancellationToken);
    }

    /// <summary>Waits until the page no longer shows a chat (it ended, from either side).</summary>
    public Task WaitUntilNotChattingAsync(CancellationToken cancellationToken) =>
        Circuit.WaitForAsync($"{UserName}'s chat to end", page => page.Document.Find(e => e.Attribute("data-testid") == "chat-partner") is null, cancellationToken);

    /// <summary>Waits until count stamped messages from others have reached this page.</summary>
    public Task WaitForReceivedAsync(int count, CancellationToken cancellationToken) =>
        Circuit.WaitForAsync($"message {count} to reach {UserName}", _ => ReceivedCount >= count, cancellationToken);

    /// <summary>What the page shows as a refused send, if anything.</summary>
    public string? SendError() =>
        Circuit.Query(page => page.Document.Find(e => e.Attribute("data-testid") == "send-error")?.TextContent);

    /// <summary>Leaves the page: closes the connection and sends the disconnect beacon.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        if (_circuit is { } circuit)
        {
            _circuit = null;
            await circuit.CloseAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_circuit is { } circuit)
        {
            _circuit = null;
            await circuit.DisposeAsync();
        }
    }

    private static bool IsChattingWith(RenderedPage page, string peer) =>
        page.Document.Find(e => e.Attribute("data-testid") == "allowed-notice") is { } notice
        && notice.TextContent.Contains(AllowedNotice, StringComparison.Ordinal)
        && page.Document.Find(e => e.Attribute("data-testid") == "chat-partner")?.TextContent == peer;

    // A row of the people list is one piece of markup, its button included; the list's panel hears every
    // row's button through one "peopleclick" handler, told which person by the browser (js/blazorchat.js).
    private static EventBinding? ChatButton(RenderedPage page, string peer)
    {
        if (PeopleClick(page) is not { } click
            || page.Document.Find(e => e.Name == "ul" && e.Attribute("aria-label") == "People") is not { } list)
        {
            return null;
        }

        var button = $"""data-person="{HtmlEncoder.Default.Encode(peer)}" data-action="chat">""";
        return list.Children.OfType<ElementNode>().Any(row => row.Children.OfType<MarkupNode>().Any(m => m.Markup.Contains(button, StringComparison.Ordinal)))
            ? click
            : null;
    }

    // The people list's one handler of its buttons' clicks.
    private static EventBinding? PeopleClick(RenderedPage page) =>
        page.Document.Find(e => e.Event("peopleclick") is not null)?.Event("peopleclick");

    // The people list's native search field.
    private static EventBinding? SearchBox(RenderedPage page) =>
        page.Document.Find(e => e.Name == "input" && e.Attribute("id") == "people-search")?.Event("input");

    // The message box's one event (ChatCompose.SendEvent), which carries its text; the box's value is sent
    // with it, as a browser sends an input's value with any event raised on it.
    private static EventBinding? SendEvent(RenderedPage page) =>
        page.Document.Find(e => e.Attribute("id") == "message-input")?.Event("chatsend");

    // The message box's typing signal (ChatCompose.TypingEvent), there while the typing notice is on.
    private static EventBinding? TypingEvent(RenderedPage page) =>
        page.Document.Find(e => e.Attribute("id") == "message-input")?.Event("chattyping");

    // A chat message's text is drawn as a text node of its own, in div.message-text.
    private void OnTextRendered(string text, long arrival)
    {
        if (!StampedMessage.TryParse(text, out var stamp) || string.Equals(stamp.Sender, UserName, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        Interlocked.Increment(ref _received);
        MessageReceived?.Invoke(new ReceivedMessage(stamp.Sender, UserName, stamp.Sequence, stamp.SentTimestamp, arrival));
    }
}
