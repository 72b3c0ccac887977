// Small helpers the server calls through JS interop, and Blazor's start. No inline script anywhere.
window.blazorChat = {
    timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC",
    setTitle: title => { document.title = title; },
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

// blazor.web.js is loaded with autostart="false" so that the circuit's SignalR connection can be tuned:
// ping the server every 5 s (it drops a browser it has not heard from in 10 s) and give up on a silent
// server after 10 s (SignalR's defaults are 15 s and 30 s), so a dropped network is noticed quickly.
Blazor.start({
    circuit: {
        configureSignalR: builder => builder.withServerTimeout(10000).withKeepAliveInterval(5000),
    },
});
