// Voice and video calls: the one owner of getUserMedia, RTCPeerConnection and the call's <video> elements in this tab.
// Loaded by Components/Calls/CallPanel as an ES module (IJSObjectReference). The server only relays what this module
// sends (descriptions and candidates) to the other end of the call; media flows peer to peer.
//
// Negotiation is "perfect negotiation" (MDN): either side may offer at any time (a camera turned on, a screen shared,
// an ICE restart); an offer that collides with one's own is dropped by the impolite side (the caller) and taken by the
// polite side (the callee), which rolls its own back. The caller offers first; the callee adds its tracks while
// answering that offer, so a call needs one offer and one answer.

const RestartAfterDisconnectedMs = 3000;
const GiveUpAfterMs = 30000;

let call = null;                  // the call this tab is an end of (or is about to be)
const early = [];                 // signals that arrived before connect() for their call
let ringing = null;               // { timer, audio, title, base }

function mediaError(error) {
    switch (error?.name) {
        case "NotAllowedError":
        case "SecurityError":
        case "PermissionDeniedError":
            return "blocked";
        case "NotFoundError":
        case "DevicesNotFoundError":
        case "OverconstrainedError":
            return "missing";
        case "NotReadableError":
        case "TrackStartError":
        case "AbortError":
            return "busy";
        default:
            return navigator.mediaDevices?.getUserMedia ? "failed" : "unsupported";
    }
}

async function getMedia(constraints) {
    if (!navigator.mediaDevices?.getUserMedia) {
        throw Object.assign(new Error("getUserMedia is not available"), { name: "NotSupportedError" });
    }
    return navigator.mediaDevices.getUserMedia(constraints);
}

function newCall(dotnet, callId, kind, local, remote) {
    return {
        dotnet, callId, kind, local, remote,
        stream: null, mediaReady: null, pc: null, polite: false,
        makingOffer: false, ignoreOffer: false, queue: Promise.resolve(),
        sent: 0, tracksAdded: false, acceptedAt: 0, inbound: null, camera: null, screen: null, lostAt: 0, restartTimer: 0, giveUpTimer: 0, durationTimer: 0, closed: false,
    };
}

function show(video, stream) {
    if (video && stream && video.srcObject !== stream) {
        video.srcObject = stream;
        video.play?.().catch(() => { /* autoplay refused: the controls still work, the next gesture plays it */ });
    }
}

/** Opens the camera and microphone (the callee's on Accept, before its call view asks). Returns null or a reason. */
export async function open(dotnet, callId, kind, local, remote) {
    if (call && call.callId !== callId) {
        close();
    }
    call ??= newCall(dotnet, callId, kind, local, remote);
    return openMedia(call);
}

async function openMedia(c) {
    c.mediaReady ??= getMedia({ audio: true, video: c.kind === "video" }).then(stream => {
        if (c.closed) {
            stream.getTracks().forEach(t => t.stop());
            return null;
        }
        c.stream = stream;
        c.camera = stream.getVideoTracks()[0] ?? null;
        show(c.local, stream);
        return null;
    }, error => mediaError(error));
    return c.mediaReady;
}

/**
 * This tab is an end of the call: make the peer connection, open media if not yet open, and negotiate. The caller
 * connects on its click, while the call rings: the server holds its offer and candidates for the tab that answers.
 * options: { polite, iceServers, acceptedAt (ms since the epoch; null while it rings) }. Returns null or a media
 * failure reason.
 */
export async function connect(dotnet, callId, kind, local, remote, duration, options) {
    if (call && call.callId !== callId) {
        close();
    }
    call ??= newCall(dotnet, callId, kind, local, remote);
    const c = call;
    if (c.pc) {
        // Connected before its view was drawn (the caller while it rang, the callee on Accept): now it has its elements.
        Object.assign(c, { dotnet, local: local ?? c.local, remote: remote ?? c.remote });
        show(c.local, c.stream);
        show(c.remote, c.inbound);
        answered(c, duration, options.acceptedAt);
        return c.mediaReady;
    }
    Object.assign(c, { dotnet, local, remote, polite: options.polite });
    const pc = c.pc = new RTCPeerConnection({ iceServers: options.iceServers ?? [] });
    answered(c, duration, options.acceptedAt);
    const inbound = c.inbound = new MediaStream();
    pc.ontrack = ({ track }) => {
        inbound.addTrack(track);
        show(c.remote, inbound);
    };
    pc.onicecandidate = ({ candidate }) => {
        if (candidate) {
            send(c, "Candidate", candidate.toJSON());
        }
    };
    pc.onnegotiationneeded = async () => {
        try {
            c.makingOffer = true;
            await pc.setLocalDescription();
            send(c, "Description", pc.localDescription.toJSON());
        } catch (error) {
            console.warn("calls: offer failed", error);
        } finally {
            c.makingOffer = false;
        }
    };
    pc.onconnectionstatechange = () => watchConnection(c);

    // Signals are handled one at a time, in order, after this side's media is in place. The caller adds its tracks at
    // once and offers; the callee adds its own while answering that first offer, so the answer carries them and no
    // second offer (nor a collision of two) is needed.
    const failure = enqueue(c, async () => {
        const reason = await openMedia(c);
        if (reason || c.closed) {
            return reason;
        }
        show(c.local, c.stream);
        if (!c.polite) {
            addTracks(c);
        }
        return null;
    });
    for (const [id, kindOf, payload] of early.splice(0)) {
        if (id === callId) {
            signal(callId, kindOf, payload);
        }
    }
    return await failure;
}

function addTracks(c) {
    if (c.tracksAdded || !c.stream) {
        return;
    }
    c.tracksAdded = true;
    for (const track of c.stream.getTracks()) {
        c.pc.addTrack(track, c.stream);
    }
}

function enqueue(c, work) {
    const next = c.queue.then(work);
    c.queue = next.catch(error => console.warn("calls: signalling step failed", error));
    return next;
}

function send(c, kind, value) {
    if (!c.closed) {
        c.sent++;
        c.dotnet.invokeMethodAsync("Signal", c.callId, kind, JSON.stringify(value)).catch(() => { });
    }
}

/** Signalling from the other end, relayed by the server. */
export function signal(callId, kind, payload) {
    const c = call;
    if (!c || c.callId !== callId || !c.pc) {
        early.push([callId, kind, payload]);
        if (early.length > 200) {
            early.shift();
        }
        return;
    }
    const value = JSON.parse(payload);
    enqueue(c, async () => {
        const pc = c.pc;
        if (c.closed) {
            return;
        }
        if (kind === "Description") {
            const collision = value.type === "offer" && (c.makingOffer || pc.signalingState !== "stable");
            c.ignoreOffer = !c.polite && collision;
            if (c.ignoreOffer) {
                return;
            }
            await pc.setRemoteDescription(value);
            if (value.type === "offer") {
                addTracks(c);
                await pc.setLocalDescription();
                send(c, "Description", pc.localDescription.toJSON());
            }
        } else if (kind === "Candidate") {
            try {
                await pc.addIceCandidate(value);
            } catch (error) {
                if (!c.ignoreOffer) {
                    throw error;
                }
            }
        }
    });
}

// Connected: carry on. Disconnected for a few seconds, or failed: restart ICE. Not connected again within 30 s of the
// first trouble (or of the start): give up, and the server ends the call for both.
function watchConnection(c) {
    const state = c.pc.connectionState;
    c.local?.closest("[data-call]")?.setAttribute("data-connection-state", state);
    c.dotnet.invokeMethodAsync("ConnectionChanged", c.callId, state).catch(() => { });
    clearTimeout(c.restartTimer);
    if (state === "connected") {
        c.lostAt = 0;
        clearTimeout(c.giveUpTimer);
        return;
    }
    if (state === "disconnected" || state === "failed") {
        if (!c.lostAt && c.acceptedAt) {
            c.lostAt = Date.now();
            clearTimeout(c.giveUpTimer);
            c.giveUpTimer = setTimeout(() => giveUp(c), GiveUpAfterMs);
        }
        if (state === "failed") {
            c.pc.restartIce();
        } else {
            c.restartTimer = setTimeout(() => {
                if (!c.closed && c.pc.connectionState !== "connected") {
                    c.pc.restartIce();
                }
            }, RestartAfterDisconnectedMs);
        }
    }
}

function giveUp(c) {
    if (!c.closed && c.pc?.connectionState !== "connected") {
        c.dotnet.invokeMethodAsync("ConnectionLost", c.callId).catch(() => { });
    }
}

// From the answer on, the call shows its duration and must connect within 30 s.
function answered(c, duration, acceptedAt) {
    if (acceptedAt && !c.acceptedAt) {
        c.acceptedAt = acceptedAt;
        if (c.pc?.connectionState !== "connected") {
            clearTimeout(c.giveUpTimer);
            c.giveUpTimer = setTimeout(() => giveUp(c), GiveUpAfterMs);
        }
    }
    if (duration && c.acceptedAt && !c.durationTimer) {
        startDuration(c, duration, c.acceptedAt);
    }
}

function startDuration(c, element, acceptedAt) {
    if (!element || !acceptedAt) {
        return;
    }
    const tick = () => {
        const seconds = Math.max(0, Math.floor((Date.now() - acceptedAt) / 1000));
        const h = Math.floor(seconds / 3600), m = Math.floor(seconds / 60) % 60, s = seconds % 60;
        element.textContent = h > 0 ? `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}` : `${m}:${String(s).padStart(2, "0")}`;
    };
    tick();
    c.durationTimer = setInterval(tick, 1000);
}

export function setMuted(muted) {
    call?.stream?.getAudioTracks().forEach(t => { t.enabled = !muted; });
}

/** Camera off keeps the track (no renegotiation); camera on in a voice call opens one and adds it. Returns null or a reason. */
export async function setCamera(on) {
    const c = call;
    if (!c) {
        return null;
    }
    if (!on) {
        if (c.camera) {
            c.camera.enabled = false;
        }
        return null;
    }
    if (c.camera) {
        c.camera.enabled = true;
        return null;
    }
    try {
        const stream = await getMedia({ video: true });
        c.camera = stream.getVideoTracks()[0];
        c.stream ??= new MediaStream();
        c.stream.addTrack(c.camera);
        show(c.local, c.stream);
        if (!c.screen && c.tracksAdded) {
            c.pc?.addTrack(c.camera, c.stream);
        }
        return null;
    } catch (error) {
        return mediaError(error);
    }
}

export function canShareScreen() {
    return !!navigator.mediaDevices?.getDisplayMedia && !/Android|iPhone|iPad/i.test(navigator.userAgent);
}

/** Sends the screen in place of the camera (replaceTrack: no renegotiation), or adds it in a call without video. */
export async function shareScreen() {
    const c = call;
    if (!c?.pc) {
        return "failed";
    }
    let stream;
    try {
        stream = await navigator.mediaDevices.getDisplayMedia({ video: true });
    } catch (error) {
        return mediaError(error);
    }
    const screen = stream.getVideoTracks()[0];
    c.screen = screen;
    const sender = c.pc.getSenders().find(s => s.track?.kind === "video" || (s.track === null && s === c.screenSender));
    if (sender) {
        await sender.replaceTrack(screen);
    } else {
        c.screenSender = c.pc.addTrack(screen, c.stream ?? stream);
    }
    screen.onended = () => {
        stopSharing();
        c.dotnet.invokeMethodAsync("SharingEnded", c.callId).catch(() => { });
    };
    return null;
}

export async function stopSharing() {
    const c = call;
    if (!c?.screen) {
        return;
    }
    const screen = c.screen;
    c.screen = null;
    const sender = c.pc?.getSenders().find(s => s.track === screen);
    screen.stop();
    await sender?.replaceTrack(c.camera ?? null);
}

/** The ring: the title flashes, and a tone plays where the browser lets a page make sound (made here, no file). */
export function ring(text) {
    stopRing();
    const state = { base: document.title, title: text, timer: 0, audio: null, tone: 0 };
    state.timer = setInterval(() => {
        if (document.title === state.title) {
            document.title = state.base;
        } else {
            state.base = document.title;
            document.title = state.title;
        }
    }, 1000);
    document.title = text;
    try {
        const audio = new AudioContext();
        state.audio = audio;
        const beep = () => {
            if (audio.state !== "running") {
                audio.resume().catch(() => { });
                return;
            }
            const gain = audio.createGain();
            gain.gain.value = 0.08;
            gain.connect(audio.destination);
            for (const frequency of [440, 480]) {
                const tone = audio.createOscillator();
                tone.frequency.value = frequency;
                tone.connect(gain);
                tone.start();
                tone.stop(audio.currentTime + 1.5);
            }
        };
        beep();
        state.tone = setInterval(beep, 3000);
    } catch {
        // No sound allowed or no audio device: the dialog and the title still ring.
    }
    ringing = state;
}

export function stopRing() {
    if (!ringing) {
        return;
    }
    clearInterval(ringing.timer);
    clearInterval(ringing.tone);
    if (document.title === ringing.title) {
        document.title = ringing.base;
    }
    ringing.audio?.close().catch(() => { });
    ringing = null;
}

/** Ends this tab's part: the peer connection closes, and the camera and microphone are released. */
export function close() {
    stopRing();
    const c = call;
    call = null;
    early.length = 0;
    if (!c) {
        return;
    }
    c.closed = true;
    clearTimeout(c.restartTimer);
    clearTimeout(c.giveUpTimer);
    clearInterval(c.durationTimer);
    c.stream?.getTracks().forEach(t => t.stop());
    c.camera?.stop();
    c.screen?.stop();
    c.pc?.close();
    for (const video of [c.local, c.remote]) {
        if (video) {
            video.srcObject = null;
        }
    }
    c.local?.closest("[data-call]")?.setAttribute("data-connection-state", "closed");
}

/** For tests and the figures: what this tab's call receives (inbound-rtp bytes and decoded frames). */
export async function stats() {
    const pc = call?.pc;
    if (!pc) {
        return null;
    }
    const result = { connectionState: pc.connectionState, signalsSent: call.sent, audioBytesReceived: 0, videoFramesDecoded: 0, videoBytesReceived: 0 };
    (await pc.getStats()).forEach(report => {
        if (report.type === "inbound-rtp" && report.kind === "audio") {
            result.audioBytesReceived += report.bytesReceived ?? 0;
        } else if (report.type === "inbound-rtp" && report.kind === "video") {
            result.videoFramesDecoded += report.framesDecoded ?? 0;
            result.videoBytesReceived += report.bytesReceived ?? 0;
        }
    });
    return result;
}

// Tests and the figures read stats through the page (module scope is not reachable from outside).
window.blazorChatCall = { stats, state: () => call?.pc?.connectionState ?? null };
