// Sends files to the chat partner over HTTP, one request each with the raw file as its body, so that the bytes never
// go through the circuit and the browser's upload events give the progress. The server (ChatFiles) is told what was
// chosen before anything is sent, the progress at most four times a second, and how each upload ended.
// Loaded once per page (App.razor); the server reaches it through window.blazorChatFiles, one entry per chat panel.

const progressEvery = 250; // ms

export function attach(root, dotnet, settings) {
    const panel = root.closest(".chat-panel") ?? root;
    const input = root.querySelector("input[type=file]");
    const uploads = new Map(); // browser key -> XMLHttpRequest
    const progress = new Map(); // browser key -> bytes sent, not yet reported
    let timer = 0;
    let lastKey = 0;
    let disposed = false;

    const report = () => {
        timer = 0;
        if (progress.size === 0 || disposed) {
            return;
        }

        const reports = [...progress].map(([key, loaded]) => ({ key, loaded }));
        progress.clear();
        dotnet.invokeMethodAsync("Progress", reports).catch(() => { });
    };

    const send = (key, file) => {
        const request = new XMLHttpRequest();
        uploads.set(key, request);
        request.open("POST", `${settings.url}&name=${encodeURIComponent(file.name)}`);
        if (settings.token) {
            request.setRequestHeader(settings.tokenHeader, settings.token);
        }

        request.setRequestHeader("Content-Type", file.type || "application/octet-stream");
        request.upload.addEventListener("progress", event => {
            progress.set(key, event.loaded);
            timer ||= setTimeout(report, progressEvery);
        });
        request.addEventListener("loadend", () => {
            uploads.delete(key);
            progress.delete(key);
            if (disposed) {
                return;
            }

            let answer = null;
            try {
                answer = JSON.parse(request.responseText);
            } catch {
                // Not an answer of ours (a proxy's error page, a cut connection).
            }

            const ok = request.status === 200 && answer?.id;
            const error = ok ? null
                : answer?.error ?? (request.status === 0 ? "The upload stopped: the connection was lost."
                    : request.status === 404 ? "This chat has ended; the file was not sent."
                        : `The server did not take the file (${request.status}).`);
            dotnet.invokeMethodAsync("Finished", key, ok ? answer.id : null, error).catch(() => { });
        });
        request.send(file);
    };

    const choose = async fileList => {
        const files = [...(fileList ?? [])];
        if (files.length === 0 || disposed) {
            return;
        }

        const chosen = files.map(file => ({ key: `b${++lastKey}`, file }));
        let accepted;
        try {
            accepted = await dotnet.invokeMethodAsync("Choose",
                chosen.map(({ key, file }) => ({ key, name: file.name, size: file.size, type: file.type })));
        } catch {
            return;
        }

        for (const { key, file } of chosen) {
            if (accepted.includes(key)) {
                send(key, file);
            }
        }
    };

    const carriesFiles = event => event.dataTransfer?.types?.includes("Files");
    const onChange = () => {
        const files = [...input.files];
        input.value = "";
        choose(files);
    };
    const onDragOver = event => {
        if (carriesFiles(event)) {
            event.preventDefault();
            event.dataTransfer.dropEffect = "copy";
            root.classList.add("dropping");
        }
    };
    const onDragLeave = event => {
        if (!panel.contains(event.relatedTarget)) {
            root.classList.remove("dropping");
        }
    };
    const onDrop = event => {
        if (carriesFiles(event)) {
            event.preventDefault();
            root.classList.remove("dropping");
            choose(event.dataTransfer.files);
        }
    };
    // A paste of files anywhere on the page sends them; a paste of text is left to the message box.
    const onPaste = event => {
        const files = event.clipboardData?.files;
        if (files && files.length > 0 && panel.isConnected) {
            event.preventDefault();
            choose(files);
        }
    };

    input?.addEventListener("change", onChange);
    panel.addEventListener("dragover", onDragOver);
    panel.addEventListener("dragleave", onDragLeave);
    panel.addEventListener("drop", onDrop);
    document.addEventListener("paste", onPaste);

    return {
        cancel: key => uploads.get(key)?.abort(),
        dispose: () => {
            disposed = true;
            clearTimeout(timer);
            input?.removeEventListener("change", onChange);
            panel.removeEventListener("dragover", onDragOver);
            panel.removeEventListener("dragleave", onDragLeave);
            panel.removeEventListener("drop", onDrop);
            document.removeEventListener("paste", onPaste);
            for (const request of uploads.values()) {
                request.abort();
            }

            uploads.clear();
        },
    };
}

{
    const panels = new Map(); // the server's id for a chat panel's file list -> what attach returned
    window.blazorChatFiles = {
        attach: (id, root, dotnet, settings) => {
            panels.get(id)?.dispose();
            panels.set(id, attach(root, dotnet, settings));
        },
        cancel: (id, key) => panels.get(id)?.cancel(key),
        detach: id => {
            panels.get(id)?.dispose();
            panels.delete(id);
        },
    };
}
