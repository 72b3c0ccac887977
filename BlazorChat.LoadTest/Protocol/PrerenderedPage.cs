using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BlazorChat.LoadTest.Protocol;

/// <summary>
/// What blazor.web.js reads from a prerendered page before it opens a circuit: the interactive-server
/// component markers (<c>&lt;!--Blazor:{...}--&gt;</c>) in document order, and the persisted component
/// state (<c>&lt;!--Blazor-Server-Component-State:...--&gt;</c>).
/// </summary>
public sealed partial class PrerenderedPage
{
    private PrerenderedPage(IReadOnlyList<JsonObject> serverMarkers, string applicationState, string title)
    {
        ServerMarkers = serverMarkers;
        ApplicationState = applicationState;
        Title = title;
    }

    /// <summary>
    /// The start markers of type "server", each as blazor.web.js sends it back: the marker's own fields
    /// plus the descriptor's <c>uniqueId</c> (its position among the page's markers).
    /// </summary>
    public IReadOnlyList<JsonObject> ServerMarkers { get; }

    /// <summary>The protected component state, or "" when the page has none.</summary>
    public string ApplicationState { get; }

    /// <summary>The document's title, which Blazor asks for when the head outlet goes interactive.</summary>
    public string Title { get; }

    /// <summary>The same page without what only starting the circuit needs (markers, state): kept by idle people.</summary>
    public PrerenderedPage Slim() => new([], "", Title);

    public static PrerenderedPage Parse(string html)
    {
        var markers = new List<JsonObject>();
        var uniqueId = 0;
        foreach (Match match in MarkerComment().Matches(html))
        {
            var json = match.Groups["json"].Value;
            JsonObject? marker;
            try
            {
                marker = JsonNode.Parse(json) as JsonObject;
            }
            catch (System.Text.Json.JsonException ex)
            {
                throw new BlazorClientException($"Malformed Blazor component marker: {json}", ex);
            }

            if (marker is null || !marker.ContainsKey("type"))
            {
                continue; // An end marker: {"prerenderId":"..."}.
            }

            var type = marker["type"]?.GetValue<string>();
            if (type is not ("server" or "webassembly" or "auto"))
            {
                throw new BlazorClientException($"Unknown Blazor component marker type '{type}'.");
            }

            if (type != "server")
            {
                throw new BlazorClientException($"This client only speaks Blazor Server, but the page has a '{type}' component.");
            }

            if (marker["descriptor"] is null || marker["sequence"] is null)
            {
                throw new BlazorClientException($"A server component marker without descriptor or sequence: {json}");
            }

            marker["uniqueId"] = uniqueId++;
            markers.Add(marker);
        }

        var state = StateComment().Match(html);
        var title = TitleElement().Match(html);
        return new PrerenderedPage(
            markers,
            state.Success ? state.Groups["state"].Value : "",
            title.Success ? WebUtility.HtmlDecode(title.Groups["title"].Value) : "");
    }

    /// <summary>The page's first form: its hidden inputs, and its visible inputs' names by id.</summary>
    public static HtmlForm ReadForm(string html)
    {
        var form = FormElement().Match(html);
        if (!form.Success)
        {
            throw new BlazorClientException("The page has no form.");
        }

        var hidden = new List<KeyValuePair<string, string>>();
        var namesById = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match input in InputElement().Matches(form.Value))
        {
            var attributes = Attribute().Matches(input.Value)
                .ToDictionary(a => a.Groups["name"].Value.ToLowerInvariant(), a => WebUtility.HtmlDecode(a.Groups["value"].Value));
            if (!attributes.TryGetValue("name", out var name))
            {
                continue;
            }

            if (attributes.GetValueOrDefault("type") == "hidden")
            {
                hidden.Add(new(name, attributes.GetValueOrDefault("value") ?? ""));
            }
            else if (attributes.TryGetValue("id", out var id))
            {
                namesById[id] = name;
            }
        }

        return new HtmlForm(hidden, namesById);
    }

    [GeneratedRegex(@"<!--Blazor:(?<json>\{.*?\})-->", RegexOptions.Singleline)]
    private static partial Regex MarkerComment();

    [GeneratedRegex(@"<!--\s*Blazor-Server-Component-State:(?<state>[a-zA-Z0-9+/=]+)\s*-->")]
    private static partial Regex StateComment();

    [GeneratedRegex(@"<title>(?<title>[^<]*)</title>")]
    private static partial Regex TitleElement();

    [GeneratedRegex(@"<form\b.*?</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex FormElement();

    [GeneratedRegex(@"<input\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InputElement();

    [GeneratedRegex("(?<name>[a-zA-Z_:][-a-zA-Z0-9_:.]*)=\"(?<value>[^\"]*)\"")]
    private static partial Regex Attribute();
}

/// <summary>A form as a browser would submit it: its hidden fields, and the names of its visible inputs by id.</summary>
public sealed record HtmlForm(IReadOnlyList<KeyValuePair<string, string>> HiddenFields, IReadOnlyDictionary<string, string> InputNamesById)
{
    public string InputName(string id) => InputNamesById.TryGetValue(id, out var name)
        ? name
        : throw new BlazorClientException($"The form has no input with id '{id}'.");
}
