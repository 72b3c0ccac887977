using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using BlazorChat.Chat;
using Microsoft.AspNetCore.Components;

namespace BlazorChat.Components.Users;

/// <summary>
/// A row of the people list as one piece of markup: the avatar, the name, the status, "wants to chat with
/// you" and the row's button, whose click the list hears through <see cref="PeopleClickEventArgs"/>. A row is
/// then two render frames (its keyed element and this) instead of ten, and every open tab keeps two copies of
/// its list's frames on the server. Rows are shared by all tabs (most show the same people), built once per
/// name, status, request and button, with the name HTML-encoded.
/// </summary>
public sealed record PersonRow(MarkupString Markup)
{
    /// <summary>Past this many the cache starts over (one entry per account, status, request and button at most).</summary>
    internal const int MaxCached = 50_000;

    private const string ChatButtonClass = MudClasses.ButtonOutlinedPrimarySmall;
    private const string AnswerButtonClass = MudClasses.ButtonFilledPrimarySmall;
    private const string WithdrawButtonClass = MudClasses.ButtonOutlinedDefaultSmall;

    private static readonly string ChatLabel = StaticMarkup.ButtonLabel(MudBlazor.Icons.Material.Filled.Chat, "Chat").Value;
    private const string BlockButtonClass = MudClasses.IconButtonTextDefaultSmallNoRipple + " user-block";
    private const string UnblockButtonClass = MudClasses.ButtonOutlinedDefaultSmall;

    private static readonly string WithdrawLabel = StaticMarkup.ButtonLabel("Withdraw").Value;
    // An icon (with the name in its label and tooltip), so that a long name keeps its room beside Chat.
    private static readonly string BlockLabel =
        $"<span class=\"{MudClasses.IconButtonLabel}\">{StaticMarkup.Icon(MudBlazor.Icons.Material.Filled.Block, MudClasses.IconSmall)}</span>";
    private static readonly string UnblockLabel = StaticMarkup.ButtonLabel("Unblock").Value;

    private static readonly ConcurrentDictionary<(string Name, PresenceStatus Status, bool WantsMe, bool Picked, bool Blocked), PersonRow> Cache = new();

    /// <summary>
    /// The row for name in status. wantsMe: they picked me ("wants to chat with you", and the button answers);
    /// picked: I picked them (the button withdraws my request); blocked: I blocked them ("blocked", and the only
    /// button unblocks).
    /// </summary>
    public static PersonRow For(string name, PresenceStatus status, bool wantsMe, bool picked, bool blocked = false)
    {
        var key = (name, status, wantsMe, picked, blocked);
        if (Cache.TryGetValue(key, out var row))
        {
            return row;
        }

        if (Cache.Count >= MaxCached)
        {
            Cache.Clear();
        }

        row = Create(name, status, wantsMe, picked, blocked);
        Cache[key] = row;
        return row;
    }

    public static string StatusName(PresenceStatus status) => status switch
    {
        PresenceStatus.Online => nameof(PresenceStatus.Online),
        PresenceStatus.Waiting => nameof(PresenceStatus.Waiting),
        PresenceStatus.InChat => nameof(PresenceStatus.InChat),
        _ => nameof(PresenceStatus.Offline),
    };

    public static string StatusText(PresenceStatus status) => status switch
    {
        PresenceStatus.Online => "online",
        PresenceStatus.Waiting => "waiting for someone",
        PresenceStatus.InChat => "in a chat",
        _ => "offline",
    };

    public static string Initial(string name) => name.Length == 0 ? "?" : char.ToUpperInvariant(name[0]).ToString();

    private static PersonRow Create(string name, PresenceStatus status, bool wantsMe, bool picked, bool blocked)
    {
        var html = HtmlEncoder.Default;
        var encoded = html.Encode(name);
        if (blocked)
        {
            return new PersonRow(new MarkupString(
                $"""<div class="user-row" data-user="{encoded}" data-status="Blocked"><span class="user-avatar" aria-hidden="true">{html.Encode(Initial(name))}</span><div class="user-main"><span class="user-name">{encoded}</span><span class="user-status">blocked</span></div><button type="button" class="{UnblockButtonClass}" aria-label="Unblock {encoded}" data-person="{encoded}" data-action="{PeopleClickEventArgs.Unblock}">{UnblockLabel}</button></div>"""));
        }

        var request = wantsMe ? """<span class="user-request" data-testid="wants-to-chat">wants to chat with you</span>""" : "";
        var button = picked
            ? $"""<button type="button" class="{WithdrawButtonClass}" aria-label="Withdraw request to {encoded}" data-person="{encoded}" data-action="{PeopleClickEventArgs.Withdraw}">{WithdrawLabel}</button>"""
            : $"""<button type="button" class="{(wantsMe ? AnswerButtonClass : ChatButtonClass)}" aria-label="Chat with {encoded}" data-person="{encoded}" data-action="{PeopleClickEventArgs.Chat}">{ChatLabel}</button>""";
        return new PersonRow(new MarkupString(
            $"""<div class="user-row" data-user="{encoded}" data-status="{StatusName(status)}"><span class="user-avatar" aria-hidden="true">{html.Encode(Initial(name))}</span><div class="user-main"><span class="user-name">{encoded}</span><span class="user-status">{StatusText(status)}</span>{request}</div>{button}<button type="button" class="{BlockButtonClass}" aria-label="Block {encoded}" title="Block {encoded}" data-person="{encoded}" data-action="{PeopleClickEventArgs.Block}">{BlockLabel}</button></div>"""));
    }
}
