// Small helpers the server calls through JS interop, and Blazor's start. No inline script anywhere.
window.blazorChat = {
    timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC",
    setTitle: title => { document.title = title; },
};

// The people list hears its rows' buttons with one handler: a click tells the server which button, by its
// data-person and data-action (see PeopleClickEventArgs), and a click elsewhere in the list says nothing.
Blazor.registerCustomEventType("peopleclick", {
    browserEventName: "click",
    createEventArgs: event => {
        const button = event.target instanceof Element ? event.target.closest("button[data-action]") : null;
        return { person: button?.dataset.person ?? null, action: button?.dataset.action ?? null };
    },
});

// blazor.web.js is loaded with autostart="false" so that the circuit's SignalR connection can be tuned:
// ping the server every 5 s (it drops a browser it has not heard from in 10 s) and give up on a silent
// server after 10 s (SignalR's defaults are 15 s and 30 s), so a dropped network is noticed quickly.
Blazor.start({
    circuit: {
        configureSignalR: builder => builder.withServerTimeout(10000).withKeepAliveInterval(5000),
    },
});
