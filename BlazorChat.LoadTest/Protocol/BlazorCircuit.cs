using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BlazorChat.LoadTest.Protocol;

/// <summary>
/// One interactive-server page, as blazor.web.js runs it: loads the prerendered page, opens the circuit
/// on /_blazor (blazorpack over a WebSocket, with the person's cookie and the site's Origin), starts it
/// and adds the page's root components, answers JS interop, applies and acknowledges every render batch,
/// and dispatches UI events. Every wait has a timeout, and anything unexpected fails the circuit: every
/// pending and later wait then throws the first failure.
/// </summary>
public sealed class BlazorCircuit : IAsyncDisposable
{
    // A HubConnection disposes its service provider when it is disposed: share one that cannot be.
    private static readonly IServiceProvider HubServices = new UndisposableServices(new ServiceCollection().AddOptions().BuildServiceProvider());

    private readonly BrowserSession _session;
    private readonly JsInterop _interop;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly List<Waiter> _waiters = [];
    private readonly Dictionary<string, TaskCompletionSource<string?>> _pendingCalls = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _rendererAttached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Held while events are chosen and sent, and while a render batch is applied and acknowledged.
    private readonly SemaphoreSlim _order = new(1, 1);
    private HubConnection? _connection;
    private Exception? _failure;
    private long _interopObjectId;
    private long _nextBatchId = 2; // The first render batch of a circuit is number 2.
    private long _nextCallId;
    private bool _closing;

    public BlazorCircuit(BrowserSession session, JsInterop interop, TimeSpan timeout, TimeProvider? time = null)
    {
        _session = session;
        _interop = interop;
        _time = time ?? TimeProvider.System;
        Timeout = timeout;
    }

    public TimeSpan Timeout { get; }

    /// <summary>
    /// How long to wait before acknowledging each render batch (zero: at once). A browser acknowledges once it
    /// has drawn the batch, so a slow one lets further events reach the server before the server hears back.
    /// </summary>
    public TimeSpan AcknowledgeDelay { get; set; }

    /// <summary>The page as the server prerendered it.</summary>
    public PrerenderedPage Page { get; private set; } = null!;

    /// <summary>What StartCircuit returned; the disconnect beacon names it.</summary>
    public string? CircuitId { get; private set; }

    /// <summary>Render batches applied (or, with <see cref="AcknowledgeOnly"/>, acknowledged) so far.</summary>
    public long BatchesApplied { get; private set; }

    /// <summary>
    /// Acknowledges render batches without applying them, as a script that only holds a tab open would: the page
    /// copy stops changing, and a client holding a thousand such tabs spends next to nothing on them.
    /// </summary>
    public bool AcknowledgeOnly { get; set; }

    /// <summary>Called with every text the page shows and the arrival time of its batch, on the connection's receive loop.</summary>
    public Action<string, long>? TextRendered { get; set; }

    /// <summary>Called with every piece of markup the page inserts and the arrival time of its batch, on the connection's receive loop.</summary>
    public Action<string, long>? MarkupRendered { get; set; }

    /// <summary>The first thing that went wrong, or null.</summary>
    public Exception? Failure
    {
        get
        {
            lock (_lock)
            {
                return _failure;
            }
        }
    }

    private RenderedPage Tree { get; } = new();

    /// <summary>Loads the page at path and brings it to life: returns once the root components are added.</summary>
    public async Task StartAsync(string path, CancellationToken cancellationToken)
    {
        var pageUri = new Uri(_session.BaseAddress, path);
        var (status, html) = await _session.GetAsync(pageUri, cancellationToken);
        if (status != HttpStatusCode.OK)
        {
            throw new BlazorClientException($"GET {pageUri.AbsolutePath} answered {(int)status}; is the person signed in?");
        }

        Page = PrerenderedPage.Parse(html);
        if (Page.ServerMarkers.Count == 0)
        {
            throw new BlazorClientException($"{pageUri.AbsolutePath} has no interactive server components.");
        }

        Tree.TextRendered = (text, arrival) => TextRendered?.Invoke(text, arrival);
        Tree.MarkupRendered = (markup, arrival) => MarkupRendered?.Invoke(markup, arrival);
        _connection = CreateConnection();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await _connection.StartAsync(timeout.Token);
            CircuitId = await _connection.InvokeAsync<string?>(
                "StartCircuit", _session.BaseAddress.ToString(), pageUri.ToString(), "[]", Page.ApplicationState, timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or WebSocketException or InvalidOperationException
            && !cancellationToken.IsCancellationRequested)
        {
            throw Fail(new BlazorClientException($"Opening the circuit for {pageUri.AbsolutePath} failed: {ex.Message}", ex));
        }

        if (string.IsNullOrEmpty(CircuitId))
        {
            throw Fail(new BlazorClientException("The server refused to start the circuit (StartCircuit returned nothing)."));
        }

        // blazor.web.js adds root components only once the server has attached its renderer's interop object.
        await Within(_rendererAttached.Task, "the server to attach its renderer", cancellationToken);

        var operations = new JsonObject
        {
            ["batchId"] = 1,
            ["operations"] = new JsonArray(Page.ServerMarkers
                .OrderBy(m => m["sequence"]!.GetValue<int>())
                .Select((marker, index) => (JsonNode)new JsonObject
                {
                    ["type"] = "add",
                    ["ssrComponentId"] = index + 1,
                    ["marker"] = marker.DeepClone(),
                })
                .ToArray()),
        };
        await SendAsync("UpdateRootComponents", [operations.ToJsonString(), Page.ApplicationState], cancellationToken);
    }

    /// <summary>Drops what only starting the circuit needed (the prerendered markers and component state).</summary>
    public void ReleaseStartState() => Page = Page.Slim();

    /// <summary>Waits until the page satisfies condition (checked now and after every render batch).</summary>
    public async Task WaitForAsync(string description, Func<RenderedPage, bool> condition, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        if (AddWaiter(condition) is not { } waiter)
        {
            return;
        }

        try
        {
            await Within(waiter.Completion.Task, description, cancellationToken, timeout);
        }
        finally
        {
            RemoveWaiter(waiter);
        }
    }

    /// <summary>
    /// Like <see cref="WaitForAsync"/>, but running out of time only answers false and leaves the circuit as it
    /// was: for what may rightly never happen, such as a request the server refuses without a word.
    /// </summary>
    public async Task<bool> TryWaitForAsync(Func<RenderedPage, bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (AddWaiter(condition) is not { } waiter)
        {
            return true;
        }

        try
        {
            await waiter.Completion.Task.WaitAsync(timeout, _time, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            RemoveWaiter(waiter);
        }
    }

    /// <summary>Reads the page under the circuit's lock (render batches wait meanwhile).</summary>
    public T Query<T>(Func<RenderedPage, T> query)
    {
        lock (_lock)
        {
            return query(Tree);
        }
    }

    /// <summary>
    /// Raises browser events on the handlers the server registered, as blazor.web.js's event delegator
    /// does: DispatchEventAsync on the renderer's interop object. The events are chosen from the page and
    /// sent while no render batch is applied or acknowledged, as in a browser, where an event raised on
    /// the DOM always reaches the server before the acknowledgement of a later batch that replaces its
    /// handler (the server keeps a replaced handler until then). Returns once the events are on their way;
    /// the returned task completes when the server has handled them all.
    /// </summary>
    public async Task<Task> DispatchEventsAsync(
        string description, Func<RenderedPage, IReadOnlyList<BrowserEvent>?> choose, CancellationToken cancellationToken)
    {
        var completions = new List<Task>();
        await Within(_order.WaitAsync(cancellationToken), "the page to be free for an event", cancellationToken);
        try
        {
            var events = Query(choose) ?? throw Fail(new BlazorClientException($"{description}: not on the page."));
            foreach (var browserEvent in events)
            {
                var handler = browserEvent.Handler;
                var descriptor = new EventDescriptor(
                    handler.HandlerId,
                    handler.EventName,
                    browserEvent.FieldValue is null ? null : new EventFieldInfo(handler.ComponentId, browserEvent.FieldValue));
                var argsJson = BrowserJson.Serialize(new object[] { descriptor, browserEvent.Arguments });
                var callId = Interlocked.Increment(ref _nextCallId).ToString(CultureInfo.InvariantCulture);
                var result = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
                lock (_lock)
                {
                    if (_failure is not null)
                    {
                        throw Rethrow(_failure);
                    }

                    _pendingCalls.Add(callId, result);
                }

                await SendAsync("BeginInvokeDotNetFromJS", [callId, null, "DispatchEventAsync", _interopObjectId, argsJson], cancellationToken);
                if (browserEvent.FieldValue is string typed)
                {
                    // As in a browser, the field holds what was typed. Written once the event is on its way, so a
                    // search of the page is not timed as the server's; no render batch is applied before _order is
                    // released, so none can see the field without it.
                    Query(page => page.Document.Find(e => e.Event(handler.EventName)?.HandlerId == handler.HandlerId))?.SetAttribute("value", typed);
                }

                completions.Add(Within(result.Task, $"the server to handle {description} ({handler.EventName}, handler {handler.HandlerId})", cancellationToken));
            }
        }
        finally
        {
            _order.Release();
        }

        return Task.WhenAll(completions);
    }

    /// <summary>Closes the connection and sends the disconnect beacon, as leaving the page does.</summary>
    /// <summary>
    /// Opens a new connection with this client's cookies and asks it to take over the circuit <paramref name="circuitId"/>
    /// (what a browser does to reconnect a dropped tab, by the id alone). Returns what the server answered: whether the
    /// circuit is now this connection's. The connection is closed again afterwards.
    /// </summary>
    public async Task<bool> TryConnectCircuitAsync(string circuitId, CancellationToken cancellationToken)
    {
        await using var connection = CreateConnection();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        await connection.StartAsync(timeout.Token);
        try
        {
            return await connection.InvokeAsync<bool>("ConnectCircuit", circuitId, timeout.Token);
        }
        finally
        {
            _closing = true;
            await connection.StopAsync(timeout.Token);
        }
    }

    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        _closing = true;
        if (_connection is not null)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            try
            {
                await _connection.StopAsync(timeout.Token);
            }
            finally
            {
                await _connection.DisposeAsync();
                _connection = null;
            }
        }

        if (CircuitId is { } circuitId)
        {
            CircuitId = null;
            await _session.SendDisconnectBeaconAsync(circuitId, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await CloseAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is BlazorClientException or HttpRequestException or OperationCanceledException or WebSocketException)
        {
            // Disposing is best effort; CloseAsync is the call that reports a failed goodbye.
        }
    }

    /// <summary>The renderer's interop object arrived (Blazor._internal.attachWebRendererInterop).</summary>
    internal void OnRendererAttached(JsonElement arguments)
    {
        if (arguments.ValueKind != JsonValueKind.Array || arguments.GetArrayLength() < 2
            || !arguments[1].TryGetProperty("__dotNetObject", out var id))
        {
            throw new BlazorClientException($"attachWebRendererInterop arrived without an interop object: {arguments.GetRawText()}");
        }

        _interopObjectId = id.GetInt64();
        _rendererAttached.TrySetResult();
    }

    private HubConnection CreateConnection()
    {
        var origin = _session.Origin;
        var options = new HttpConnectionOptions
        {
            Url = new Uri(_session.BaseAddress, "_blazor"),
            Transports = HttpTransportType.WebSockets,
            DefaultTransferFormat = TransferFormat.Binary,
            HttpMessageHandlerFactory = _ => new SessionHttpHandler(_session),
            WebSocketFactory = async (context, cancellationToken) =>
            {
                var socket = new ClientWebSocket();
                socket.Options.SetRequestHeader("Origin", origin);
                if (_session.Cookies.CookieHeader is { } cookies)
                {
                    socket.Options.SetRequestHeader("Cookie", cookies);
                }

                try
                {
                    await socket.ConnectAsync(context.Uri, cancellationToken);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }

                return socket;
            },
        };
        options.Headers["Origin"] = origin;

        var protocol = new BlazorPackProtocol(message => Fail(new BlazorClientException(message)));
        var connection = new HubConnection(
            new HttpConnectionFactory(Options.Create(options), NullLoggerFactory.Instance),
            protocol,
            new UriEndPoint(options.Url),
            HubServices,
            NullLoggerFactory.Instance)
        {
            // As js/blazorchat.js configures the browser: the server drops a client it has not heard from in 10 s.
            KeepAliveInterval = TimeSpan.FromSeconds(5),
            ServerTimeout = TimeSpan.FromSeconds(10),
        };

        connection.On<long, byte[]>("JS.RenderBatch", OnRenderBatchAsync);
        connection.On<int, string>("JS.AttachComponent", OnAttachComponent);
        connection.On<long, string, string, int, long, int>("JS.BeginInvokeJS", OnBeginInvokeJSAsync);
        connection.On<string, bool, string?>("JS.EndInvokeDotNet", OnEndInvokeDotNet);
        connection.On<long>("JS.EndUpdateRootComponents", _ => { });
        connection.On<string>("JS.Error", error => Fail(new BlazorClientException($"The server reported a circuit error: {error}")));
        connection.Closed += error =>
        {
            if (!_closing)
            {
                Fail(new BlazorClientException($"The circuit's connection closed: {error?.Message ?? "by the server"}", error ?? new WebSocketException()));
            }

            return Task.CompletedTask;
        };
        return connection;
    }

    private async Task OnRenderBatchAsync(long batchId, byte[] data)
    {
        var arrival = _time.GetTimestamp();
        Exception? error = null;
        await Within(_order.WaitAsync(), $"events to be sent before render batch {batchId}", CancellationToken.None);
        try
        {
            error = Apply(batchId, data, arrival);

            if (AcknowledgeDelay > TimeSpan.Zero)
            {
                await Task.Delay(AcknowledgeDelay, _time);
            }

            // A batch seen before (re-sent after a reconnect) is only acknowledged again, as blazor.web.js does.
            await SendAsync("OnRenderCompleted", [batchId, error?.Message], CancellationToken.None);
        }
        finally
        {
            _order.Release();
        }

        if (error is not null)
        {
            Fail(error);
        }
    }

    private BlazorClientException? Apply(long batchId, byte[] data, long arrival)
    {
        BlazorClientException? error = null;
        lock (_lock)
        {
            if (batchId > _nextBatchId)
            {
                error = new BlazorClientException($"Render batch {batchId} arrived while batch {_nextBatchId} was expected.");
            }
            else if (batchId == _nextBatchId && AcknowledgeOnly)
            {
                _nextBatchId++;
                BatchesApplied++;
            }
            else if (batchId == _nextBatchId)
            {
                try
                {
                    Tree.Apply(data, arrival);
                    _nextBatchId++;
                    BatchesApplied++;
                    ReleaseSatisfiedWaiters();
                }
                catch (Exception ex) when (ex is BlazorClientException or ArgumentException or IndexOutOfRangeException)
                {
                    error = new BlazorClientException($"Render batch {batchId} could not be applied: {ex.Message}", ex);
                }
            }
        }

        return error;
    }

    private void OnAttachComponent(int componentId, string selector)
    {
        if (!int.TryParse(selector, NumberStyles.None, CultureInfo.InvariantCulture, out var ssrComponentId))
        {
            Fail(new BlazorClientException($"The server attached component {componentId} to '{selector}', which is not a marker this client added."));
            return;
        }

        lock (_lock)
        {
            try
            {
                Tree.AttachRootComponent(componentId, ssrComponentId);
            }
            catch (BlazorClientException ex)
            {
                _failure ??= ex;
            }
        }
    }

    private async Task OnBeginInvokeJSAsync(long asyncHandle, string identifier, string argsJson, int resultType, long targetInstanceId, int callType)
    {
        object? result = null;
        Exception? error = null;
        try
        {
            // Only function calls on window (instance 0) are spoken; call type 1 is FunctionCall.
            if (targetInstanceId != 0 || callType != 1 || resultType is 1 or 2)
            {
                throw new BlazorClientException(
                    $"The server called '{identifier}' as a kind of JS interop this client does not speak (target {targetInstanceId}, call type {callType}, result type {resultType}).");
            }

            using var arguments = JsonDocument.Parse(string.IsNullOrEmpty(argsJson) ? "[]" : argsJson);
            result = _interop.Invoke(new JsCall(identifier, arguments.RootElement, this));
        }
        catch (BlazorClientException ex)
        {
            error = ex;
        }

        if (asyncHandle != 0)
        {
            var json = error is null
                ? JsonSerializer.Serialize(new[] { asyncHandle, true, resultType == 3 ? null : result })
                : JsonSerializer.Serialize(new object[] { asyncHandle, false, error.Message });
            await SendAsync("EndInvokeJSFromDotNet", [asyncHandle, error is null, json], CancellationToken.None);
        }

        if (error is not null)
        {
            Fail(error);
        }
    }

    private void OnEndInvokeDotNet(string callId, bool success, string? resultOrError)
    {
        TaskCompletionSource<string?>? call;
        lock (_lock)
        {
            _pendingCalls.Remove(callId, out call);
        }

        if (call is null)
        {
            Fail(new BlazorClientException($"The server completed call {callId}, which this client never made."));
        }
        else if (success)
        {
            call.TrySetResult(resultOrError);
        }
        else
        {
            call.TrySetException(new BlazorClientException($"The server failed call {callId}: {resultOrError}"));
        }
    }

    private async Task SendAsync(string method, object?[] arguments, CancellationToken cancellationToken)
    {
        var connection = _connection ?? throw new BlazorClientException("The circuit is not open.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await connection.SendCoreAsync(method, arguments, timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or WebSocketException
            && !cancellationToken.IsCancellationRequested && !_closing)
        {
            throw Fail(new BlazorClientException($"Sending {method} failed: {ex.Message}", ex));
        }
    }

    private async Task Within(Task task, string description, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Timeout;
        try
        {
            await task.WaitAsync(limit, _time, cancellationToken);
        }
        catch (TimeoutException ex)
        {
            throw Fail(new BlazorClientException($"Timed out after {limit.TotalSeconds:0.#} s waiting for {description}.", ex));
        }
    }

    /// <summary>A waiter for condition, or null when the page satisfies it already; throws the circuit's failure.</summary>
    private Waiter? AddWaiter(Func<RenderedPage, bool> condition)
    {
        lock (_lock)
        {
            if (_failure is not null)
            {
                throw Rethrow(_failure);
            }

            if (condition(Tree))
            {
                return null;
            }

            var waiter = new Waiter(condition);
            _waiters.Add(waiter);
            return waiter;
        }
    }

    private void RemoveWaiter(Waiter waiter)
    {
        lock (_lock)
        {
            _waiters.Remove(waiter);
        }
    }

    private void ReleaseSatisfiedWaiters()
    {
        foreach (var waiter in _waiters)
        {
            if (!waiter.Completion.Task.IsCompleted && waiter.Condition(Tree))
            {
                waiter.Completion.TrySetResult();
            }
        }
    }

    /// <summary>Records the first failure and fails everything waiting; returns the exception to throw.</summary>
    private Exception Fail(Exception failure)
    {
        Waiter[] waiters;
        TaskCompletionSource<string?>[] calls;
        lock (_lock)
        {
            _failure ??= failure;
            failure = _failure;
            waiters = [.. _waiters];
            calls = [.. _pendingCalls.Values];
            _pendingCalls.Clear();
        }

        foreach (var waiter in waiters)
        {
            waiter.Completion.TrySetException(failure);
        }

        foreach (var call in calls)
        {
            call.TrySetException(failure);
        }

        _rendererAttached.TrySetException(failure);
        Debug.WriteLine($"Circuit failed: {failure.Message}");
        return Rethrow(failure);
    }

    private static Exception Rethrow(Exception failure) => failure is BlazorClientException client
        ? new BlazorClientException(client.Message, client)
        : new BlazorClientException(failure.Message, failure);

    private sealed record EventDescriptor(ulong eventHandlerId, string eventName, EventFieldInfo? eventFieldInfo);

    private sealed record EventFieldInfo(int componentId, object fieldValue);

    private sealed class Waiter(Func<RenderedPage, bool> condition)
    {
        public Func<RenderedPage, bool> Condition { get; } = condition;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class UndisposableServices(IServiceProvider inner) : IServiceProvider
    {
        public object? GetService(Type serviceType) => inner.GetService(serviceType);
    }

    /// <summary>Sends SignalR's negotiate request through the shared pool with this person's cookies.</summary>
    private sealed class SessionHttpHandler(BrowserSession session) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (session.Cookies.CookieHeader is { } cookies)
            {
                request.Headers.TryAddWithoutValidation("Cookie", cookies);
            }

            return session.Http.Invoker.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>An event to raise: the handler, the event's arguments as the browser serializes them, and the form field's new value if any.</summary>
public sealed record BrowserEvent(EventBinding Handler, object Arguments, object? FieldValue = null);
