using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using BlazorChat.Chat;
using Microsoft.AspNetCore.Components;

namespace BlazorChat.Components.Users;

/// <summary>
/// What a row of the people list shows besides its button, as one piece of markup: the avatar, the name, the
/// status and "wants to chat with you". A row is then ten render frames instead of twenty-four, and every
/// open tab keeps two copies of its list's frames on the server. The pieces are shared by all tabs (most
/// show the same people), built once per name, status and request, with the name HTML-encoded.
/// </summary>
public sealed record PersonRow(MarkupString Details, string ChatLabel, string WithdrawLabel)
{
    /// <summary>Past this many the cache starts over (one entry per account, status and request at most).</summary>
    internal const int MaxCached = 50_000;

    private static readonly ConcurrentDictionary<(string Name, PresenceStatus Status, bool WantsMe), PersonRow> Cache = new();

    public static PersonRow For(string name, PresenceStatus status, bool wantsMe)
    {
        if (Cache.TryGetValue((name, status, wantsMe), out var row))
        {
            return row;
        }

        if (Cache.Count >= MaxCached)
        {
            Cache.Clear();
        }

        row = Create(name, status, wantsMe);
        Cache[(name, status, wantsMe)] = row;
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

    private static PersonRow Create(string name, PresenceStatus status, bool wantsMe)
    {
        var html = HtmlEncoder.Default;
        var request = wantsMe ? """<span class="user-request" data-testid="wants-to-chat">wants to chat with you</span>""" : "";
        var details = new MarkupString(
            $"""<span class="user-avatar" aria-hidden="true">{html.Encode(Initial(name))}</span><div class="user-main"><span class="user-name">{html.Encode(name)}</span><span class="user-status">{StatusText(status)}</span>{request}</div>""");
        return new PersonRow(details, $"Chat with {name}", $"Withdraw request to {name}");
    }
}
