// What a tab does for its person on its own, without the server: the dark mode switch, the account menu and its
// settings, the unread count in the title and on the icon while the tab is hidden, system notifications and a short
// sound. It reads what the page already shows (messages, requests, a ringing call), so no event costs the server a
// render or a round trip. Settings are kept per browser (localStorage; the theme in a cookie the server reads).
(() => {
    const root = document.documentElement;
    const settingKey = name => `blazorchat.${name}`;
    const setting = name => {
        try {
            return localStorage.getItem(settingKey(name)) === "on";
        } catch {
            return false;
        }
    };
    const remember = (name, on) => {
        try {
            if (on) {
                localStorage.setItem(settingKey(name), "on");
            } else {
                localStorage.removeItem(settingKey(name));
            }
        } catch {
            // Storage refused (private mode, quota): the setting lasts as long as the page.
        }
    };

    // --- Dark mode: the system's unless chosen; the choice is a cookie, so the server draws the page in it. ---
    const systemDark = matchMedia("(prefers-color-scheme: dark)");
    const isDark = () => root.dataset.theme ? root.dataset.theme === "dark" : systemDark.matches;
    const showTheme = () => {
        const themeSwitch = document.getElementById("theme-switch");
        themeSwitch?.setAttribute("aria-checked", String(isDark()));
    };
    const chooseTheme = dark => {
        root.dataset.theme = dark ? "dark" : "light";
        const path = new URL(document.baseURI).pathname;
        document.cookie = `theme=${root.dataset.theme}; path=${path}; max-age=31536000; samesite=lax`;
        showTheme();
    };
    systemDark.addEventListener("change", showTheme);

    // --- The account menu: a button that shows and hides its panel; Escape or a click elsewhere closes it. ---
    const menuButton = () => document.getElementById("account-menu-button");
    const menu = () => document.getElementById("account-menu");
    const openMenu = open => {
        const button = menuButton();
        const panel = menu();
        if (!button || !panel) {
            return;
        }

        button.setAttribute("aria-expanded", String(open));
        panel.hidden = !open;
        if (open) {
            panel.querySelector("input, a, button")?.focus();
        }
    };
    const showSettings = () => {
        for (const box of document.querySelectorAll("#account-menu input[data-setting]")) {
            box.checked = setting(box.dataset.setting)
                && (box.dataset.setting !== "notify" || ("Notification" in window && Notification.permission === "granted"));
        }
    };
    const note = text => {
        const line = document.querySelector("[data-testid=notify-note]");
        if (line) {
            line.textContent = text;
        }
    };

    document.addEventListener("click", event => {
        const target = event.target instanceof Element ? event.target : null;
        if (target?.closest("#theme-switch")) {
            chooseTheme(!isDark());
        } else if (target?.closest("#account-menu-button")) {
            openMenu(menu()?.hidden ?? false);
        } else if (!target?.closest("#account-menu") && menu() && !menu().hidden) {
            openMenu(false);
        }

        unlockSound();
    });
    document.addEventListener("keydown", event => {
        if (event.key === "Escape" && menu() && !menu().hidden) {
            openMenu(false);
            menuButton()?.focus();
        } else if (event.key === "Escape" && document.querySelector(".call-ring")) {
            // Escape closes the ringing call's dialog as its Decline button does.
            [...document.querySelectorAll(".call-ring button")].find(b => b.textContent.trim() === "Decline")?.click();
        }

        unlockSound();
    });
    document.addEventListener("focusout", event => {
        // Tabbing out of the menu closes it, as a click elsewhere does.
        const panel = menu();
        if (panel && !panel.hidden && event.relatedTarget instanceof Element
            && !panel.contains(event.relatedTarget) && event.relatedTarget !== menuButton()) {
            openMenu(false);
        }
    });
    document.addEventListener("change", async event => {
        const box = event.target;
        if (!(box instanceof HTMLInputElement) || !box.matches("#account-menu input[data-setting]")) {
            return;
        }

        const name = box.dataset.setting;
        if (name !== "notify" || !box.checked) {
            remember(name, box.checked);
            note("");
            return;
        }

        // Asked only when the person ticks "Notify me": browsers refuse a request that no gesture started.
        const permission = "Notification" in window ? await Notification.requestPermission() : "unsupported";
        const granted = permission === "granted";
        remember(name, granted);
        box.checked = granted;
        note(granted ? "" : permission === "unsupported"
            ? "This browser cannot show notifications."
            : "Notifications are blocked for this site in the browser's settings.");
    });

    // --- Sound: a short two-note chime made with WebAudio (no file). Browsers start audio only after a gesture. ---
    let audio = null;
    function unlockSound() {
        if (!audio && "AudioContext" in window) {
            audio = new AudioContext();
        }

        if (audio?.state === "suspended") {
            audio.resume().catch(() => { });
        }
    }
    const chime = () => {
        if (!audio || audio.state !== "running" || setting("mute")) {
            return;
        }

        const now = audio.currentTime;
        for (const [offset, frequency] of [[0, 880], [0.12, 1175]]) {
            const tone = audio.createOscillator();
            const gain = audio.createGain();
            tone.frequency.value = frequency;
            gain.gain.setValueAtTime(0.0001, now + offset);
            gain.gain.exponentialRampToValueAtTime(0.15, now + offset + 0.02);
            gain.gain.exponentialRampToValueAtTime(0.0001, now + offset + 0.18);
            tone.connect(gain).connect(audio.destination);
            tone.start(now + offset);
            tone.stop(now + offset + 0.2);
        }
    };

    // --- Unread count: the title ("(2) Chat with hamza · BlazorChat") and the icon, while the tab is hidden. ---
    const isHidden = () => document.visibilityState === "hidden";
    let baseTitle = document.title;
    let unread = 0;
    const icon = document.querySelector("link[rel=icon]");
    const plainIcon = icon?.getAttribute("href");
    const withoutCount = title => title.replace(/^\(\d+\) /, "");
    const showUnread = () => {
        document.title = unread > 0 ? `(${unread}) ${withoutCount(baseTitle)}` : baseTitle;
        if (icon) {
            icon.setAttribute("href", unread > 0 ? badgeIcon(unread) : plainIcon);
        }
    };
    const badgeIcon = count => {
        const text = count > 99 ? "99+" : String(count);
        const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="5" fill="#3949ab"/>`
            + `<path fill="#fff" d="M6 6h12a1 1 0 0 1 1 1v8a1 1 0 0 1-1 1H10l-4 3v-3H6a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1z"/>`
            + `<circle cx="17" cy="7" r="7" fill="#d32f2f"/><text x="17" y="10" font-size="${text.length > 1 ? 7 : 10}" `
            + `font-family="sans-serif" font-weight="bold" fill="#fff" text-anchor="middle">${text}</text></svg>`;
        return `data:image/svg+xml,${encodeURIComponent(svg)}`;
    };

    // The server sets the title through blazorChat.setTitle (js/blazorchat.js); the count goes in front of it.
    const setTitle = window.blazorChat.setTitle;
    window.blazorChat.setTitle = title => {
        baseTitle = title;
        setTitle(title);
        showUnread();
    };
    document.addEventListener("visibilitychange", () => {
        if (!isHidden()) {
            unread = 0;
            showUnread();
        }
    });

    // --- Notifications ---
    const notify = (title, body, tag) => {
        if (!setting("notify") || !("Notification" in window) || Notification.permission !== "granted") {
            return;
        }

        try {
            const shown = new Notification(title, { body, tag, icon: plainIcon ?? undefined });
            shown.onclick = () => {
                window.focus();
                shown.close();
            };
        } catch {
            // Some browsers (Android Chrome) allow notifications only from a service worker: the title still counts.
        }
    };

    // --- What arrived: read from the page after each change Blazor makes to it. ---
    let lastSequence = new Map(); // chat (data-conversation) → newest message sequence seen
    let wanting = null; // names whose request the people list shows, or null while there is no list
    const rang = new Set(); // calls already announced
    let focusBeforeRing = null;
    const arrived = (kind, title, body, tag) => {
        if (kind !== "call" && isHidden()) {
            unread++;
            showUnread();
        }

        if (isHidden()) {
            notify(title, body, tag);
        }

        if (kind !== "call" && (isHidden() || !document.hasFocus())) {
            chime();
        }
    };
    const look = () => {
        const seenNow = new Map();
        for (const panel of document.querySelectorAll(".chat-panel[data-conversation]")) {
            const chat = panel.dataset.conversation;
            const before = lastSequence.get(chat);
            let newest = before ?? 0;
            for (const message of panel.querySelectorAll(".message[data-testid=message]")) {
                const sequence = Number(message.querySelector("[data-sequence]")?.dataset.sequence ?? 0);
                newest = Math.max(newest, sequence);
                // A chat seen for the first time (a reload, a new chat) announces nothing it already held.
                if (before !== undefined && sequence > before && message.classList.contains("theirs")) {
                    const sender = message.querySelector(".message-sender")?.textContent ?? "";
                    const text = message.querySelector(".message-text")?.textContent ?? "";
                    arrived("message", `New message from ${sender}`, setting("notify-text") ? text : "", `chat-${chat}`);
                }
            }

            seenNow.set(chat, newest);
        }

        lastSequence = seenNow;

        const list = document.querySelector(".user-list");
        if (!list) {
            wanting = null;
        } else {
            const now = new Set([...list.querySelectorAll("[data-user]")]
                .filter(row => row.querySelector("[data-testid=wants-to-chat]"))
                .map(row => row.dataset.user));
            if (wanting) {
                for (const name of now) {
                    if (!wanting.has(name)) {
                        arrived("request", `${name} wants to chat with you`, "", `request-${name}`);
                    }
                }
            }

            wanting = now;
        }

        const ring = document.querySelector("[data-testid=call-ring]");
        const call = ring?.closest("[data-call]")?.dataset.call;
        if (ring && call && !rang.has(call)) {
            rang.add(call);
            // The ringing dialog takes the focus, and gives it back when it closes.
            focusBeforeRing = document.activeElement;
            ring.closest(".call-ring")?.querySelector("button")?.focus();
            arrived("call", ring.textContent ?? "Incoming call", "", `call-${call}`);
        } else if (!ring && focusBeforeRing) {
            if (focusBeforeRing.isConnected && (document.activeElement === document.body || !document.activeElement)) {
                focusBeforeRing.focus();
            }

            focusBeforeRing = null;
        }
    };

    let looking = false;
    new MutationObserver(() => {
        // Once per burst of changes, after Blazor has applied the whole batch.
        if (!looking) {
            looking = true;
            queueMicrotask(() => {
                looking = false;
                look();
            });
        }
    }).observe(document.body, { childList: true, subtree: true });

    showTheme();
    showSettings();
    look();
})();
