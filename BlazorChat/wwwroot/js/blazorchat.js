// Small helpers the server calls through JS interop. No inline script anywhere.
window.blazorChat = {
    timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC",
};
