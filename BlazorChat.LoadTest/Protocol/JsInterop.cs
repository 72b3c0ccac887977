using System.Text.Json;

namespace BlazorChat.LoadTest.Protocol;

/// <summary>One JS.BeginInvokeJS call from the server, as the client's answer function sees it.</summary>
public readonly record struct JsCall(string Identifier, JsonElement Arguments, BlazorCircuit Circuit);

/// <summary>
/// The answers to the JS interop calls the page makes, standing in for blazor.web.js, MudBlazor's
/// script and the app's js/blazorchat.js. A call with no entry here fails the circuit, naming the
/// identifier: when the app or a library starts calling something new, the client must be taught what
/// a browser would answer rather than guess.
/// </summary>
public sealed class JsInterop
{
    private readonly Dictionary<string, Func<JsCall, object?>> _answers = new(StringComparer.Ordinal);

    /// <summary>The calls BlazorChat's pages make today, answered as a desktop browser in UTC would.</summary>
    public static JsInterop ForBlazorChat(string timeZone = "UTC")
    {
        var interop = new JsInterop();

        // Blazor itself.
        interop.Answer("Blazor._internal.attachWebRendererInterop", call =>
        {
            call.Circuit.OnRendererAttached(call.Arguments);
            return null;
        });
        interop.Answer("Blazor._internal.PageTitle.getAndRemoveExistingTitle", call => call.Circuit.Page.Title);
        interop.Void("Blazor._internal.navigationManager.enableNavigationInterception");
        interop.Void("Blazor._internal.navigationManager.setHasLocationChangingListeners");
        interop.Void("Blazor._internal.navigationManager.scrollToElement");
        interop.Void("Blazor._internal.domWrapper.focus");
        interop.Void("Blazor._internal.domWrapper.focusBySelector");

        // MudBlazor asks whether its script's objects exist before calling them: they do for what we answer.
        interop.Answer("window.hasOwnProperty", call =>
            call.Arguments.GetArrayLength() == 1 && call.Arguments[0].GetString() is { } name && interop.KnowsObject(name));

        // The app.
        interop.Answer("blazorChat.timeZone", _ => timeZone);
        interop.Void("blazorChat.setTitle");
        interop.Answer("blazorChat.watchVisibility", _ => true);
        interop.Void("blazorChatFiles.attach");
        interop.Void("blazorChatFiles.cancel");
        interop.Void("blazorChatFiles.detach");

        // MudBlazor: registrations whose effects only a real layout engine would see.
        interop.Void("mudPopover.initialize");
        interop.Void("mudPopover.connect");
        interop.Void("mudPopover.disconnect");
        interop.Void("mudPopover.dispose");
        interop.Answer("mudpopoverHelper.countProviders", _ => 1);
        interop.Void("mudKeyInterceptor.connect");
        interop.Void("mudKeyInterceptor.disconnect");
        interop.Void("mudKeyInterceptor.updatekey");
        interop.Void("mudElementRef.addOnBlurEvent");
        interop.Void("mudElementRef.removeOnBlurEvent");
        interop.Void("mudElementRef.addDefaultPreventingHandlers");
        interop.Void("mudElementRef.removeDefaultPreventingHandlers");
        interop.Void("mudElementRef.focusFirst");
        interop.Void("mudElementRef.restoreFocus");
        interop.Void("mudElementRef.saveFocus");
        interop.Void("mudResizeObserver.disconnect");
        interop.Void("mudResizeObserver.cancelListener");
        interop.Void("mudScrollManager.scrollToBottom");
        interop.Void("mudScrollManager.scrollIntoView");
        interop.Void("mudThemeProvider.watchDarkMode");
        interop.Void("mudThemeProvider.stopWatchingDarkMode");
        interop.Answer("mudThemeProvider.isDarkMode", _ => false);
        interop.Void("mudJsEvent.connect");
        interop.Void("mudJsEvent.disconnect");
        interop.Void("mudJsEvent.subscribe");
        interop.Void("mudJsEvent.unsubscribe");
        interop.Answer("mudResizeListener.getBrowserWindowSize", _ => new { height = 900, width = 1440 });
        interop.Answer("mudResizeListener.matchMedia", _ => false);
        interop.Void("mudResizeListenerFactory.listenForResize");
        interop.Void("mudResizeListenerFactory.cancelListener");
        interop.Void("mudResizeListenerFactory.cancelListeners");
        interop.Void("mudResizeListenerFactory.dispose");
        return interop;
    }

    /// <summary>Answers calls to identifier with what answer returns (serialized as JSON).</summary>
    public JsInterop Answer(string identifier, Func<JsCall, object?> answer)
    {
        _answers[identifier] = answer;
        return this;
    }

    /// <summary>Forgets identifier: a call to it then fails the circuit.</summary>
    public JsInterop Forget(string identifier)
    {
        _answers.Remove(identifier);
        return this;
    }

    /// <summary>Answers calls to identifier as a function that returns nothing.</summary>
    public JsInterop Void(string identifier) => Answer(identifier, static _ => null);

    public bool Knows(string identifier) => _answers.ContainsKey(identifier);

    /// <summary>Whether some known identifier is a member of the global object name (e.g. "mudElementRef").</summary>
    public bool KnowsObject(string name) =>
        _answers.Keys.Any(identifier => identifier.Length > name.Length && identifier.StartsWith(name, StringComparison.Ordinal) && identifier[name.Length] == '.');

    /// <summary>The result of a call; throws for an identifier this client was never taught.</summary>
    public object? Invoke(JsCall call) => _answers.TryGetValue(call.Identifier, out var answer)
        ? answer(call)
        : throw new BlazorClientException($"The server called the unknown JS function '{call.Identifier}' (arguments {call.Arguments.GetRawText()}).");
}
