using Microsoft.AspNetCore.Components;

namespace BlazorChat.Components.Users;

/// <summary>
/// A click on a button in the people list (a row's, or "Show more"), heard once by the list rather than by a
/// handler per button. The browser (js/blazorchat.js) reads which button from its data-person and data-action
/// attributes; the list treats the name as it would one typed into the search box.
/// </summary>
public sealed class PeopleClickEventArgs : EventArgs
{
    public const string Chat = "chat";

    public const string Withdraw = "withdraw";

    public const string More = "more";

    public const string Block = "block";

    public const string Unblock = "unblock";

    public string? Person { get; set; }

    public string? Action { get; set; }
}

// The Razor compiler finds custom events only on a class named exactly EventHandlers.
[EventHandler("onpeopleclick", typeof(PeopleClickEventArgs), enableStopPropagation: true, enablePreventDefault: true)]
public static class EventHandlers;
