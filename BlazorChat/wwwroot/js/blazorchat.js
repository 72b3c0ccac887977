// Small helpers the server calls through JS interop, and Blazor's start. No inline script anywhere.
window.blazorChat = {
    timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC",
    setTitle: title => { document.title = title; },
    // The chat page hears whether the tab is visible (the Page Visibility API): only a visible tab marks messages
    // seen. Returns whether it is visible now; later changes go to the page's VisibilityChanged.
    watchVisibility: page => {
        const visible = () => document.visibilityState === "visible";
        document.addEventListener("visibilitychange", () => page.invokeMethodAsync("VisibilityChanged", visible()).catch(() => { }));
        return visible();
    },
};

// The people list hears its buttons (each row's, "Show more") with one handler. Only a click on one of them
// raises "peopleclick", carrying which button by its data-person and data-action (see PeopleClickEventArgs),
// so a click anywhere else in the list (its search box, a name) never goes to the server.
document.addEventListener("click", event => {
    const button = event.target instanceof Element ? event.target.closest(".users-panel button[data-action]") : null;
    button?.dispatchEvent(new CustomEvent("peopleclick", { bubbles: true }));
});
Blazor.registerCustomEventType("peopleclick", {
    createEventArgs: event => ({ person: event.target.dataset.person ?? null, action: event.target.dataset.action ?? null }),
});

// The message box sends its text once: on Enter (not Shift+Enter, not while an IME is composing) and on its Send
// button, as one "chatsend" event raised on the box, so the text travels with it. Typing sends no text.
{
    const sendFrom = box => box.dispatchEvent(new CustomEvent("chatsend", { bubbles: true }));
    document.addEventListener("keydown", event => {
        if (event.target instanceof HTMLInputElement && event.target.matches(".chat-compose input")
            && (event.key === "Enter" || event.key === "NumpadEnter") && !event.shiftKey && !event.isComposing) {
            sendFrom(event.target);
        }
    });
    document.addEventListener("click", event => {
        const button = event.target instanceof Element ? event.target.closest(".chat-compose button[data-action=send]") : null;
        const box = button?.closest(".chat-compose")?.querySelector("input");
        if (box) {
            sendFrom(box);
        }
    });
}
Blazor.registerCustomEventType("chatsend", {
    createEventArgs: event => ({ text: event.target.value ?? "" }),
});

// While the message box fills, it raises "chattyping" at most once per its data-typing-interval (ms), so the partner
// sees "is typing…"; the text stays here. A send restarts the wait: the next key press after it is told at once.
{
    const signalled = new WeakMap();
    document.addEventListener("input", event => {
        const box = event.target;
        if (!(box instanceof HTMLInputElement) || !box.matches(".chat-compose input[data-typing-interval]") || box.value === "") {
            return;
        }

        const now = performance.now();
        if (now - (signalled.get(box) ?? -Infinity) >= Number(box.dataset.typingInterval)) {
            signalled.set(box, now);
            box.dispatchEvent(new CustomEvent("chattyping", { bubbles: true }));
        }
    });
    document.addEventListener("chatsend", event => signalled.delete(event.target), true);
}
Blazor.registerCustomEventType("chattyping", {
    createEventArgs: () => ({}),
});

// blazor.web.js is loaded with autostart="false" so that the circuit's SignalR connection can be tuned:
// ping the server every 5 s (it drops a browser it has not heard from in 10 s) and give up on a silent
// server after 10 s (SignalR's defaults are 15 s and 30 s), so a dropped network is noticed quickly.
Blazor.start({
    circuit: {
        configureSignalR: builder => builder.withServerTimeout(10000).withKeepAliveInterval(5000),
    },
});
