using Microsoft.AspNetCore.Components;

namespace BlazorChat.Components;

/// <summary>
/// MudBlazor's look as constant markup, for parts of a page that need no component of their own (each
/// component a tab shows is kept, with two copies of its render tree, on the server). Only MudBlazor's icon
/// set and fixed labels go in here, never user text.
/// </summary>
public static class StaticMarkup
{
    /// <summary>An icon as MudIcon draws it.</summary>
    public static MarkupString Icon(string svgContent, string classes) => new(
        $"""<svg class="mud-icon-root mud-svg-icon {classes}" focusable="false" viewBox="0 0 24 24" aria-hidden="true">{svgContent}</svg>""");

    /// <summary>A small button's label with a start icon, as MudButton draws it.</summary>
    public static MarkupString ButtonLabel(string svgContent, string label) => new(
        $"""<span class="mud-button-label"><span class="mud-button-icon-start mud-button-icon-size-small">{Icon(svgContent, "mud-icon-size-small")}</span>{label}</span>""");
}
