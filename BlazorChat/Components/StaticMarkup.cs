using Microsoft.AspNetCore.Components;

namespace BlazorChat.Components;

/// <summary>
/// MudBlazor's look as constant markup, for parts of a page that need no component of their own (each
/// component a tab shows is kept, with two copies of its render tree, on the server). The classes come from
/// <see cref="MudClasses"/>. Only MudBlazor's icon set and fixed labels go in here, never user text.
/// </summary>
public static class StaticMarkup
{
    /// <summary>MudSpacer.</summary>
    public static readonly MarkupString Spacer = new($"""<div aria-hidden="true" class="{MudClasses.Spacer}"></div>""");

    /// <summary>An icon as MudIcon draws it; classes are <see cref="MudClasses.IconSmall"/> or another, and any of the app's own.</summary>
    public static MarkupString Icon(string svgContent, string classes) => new(
        $"""<svg class="{classes}" focusable="false" viewBox="0 0 24 24" aria-hidden="true">{svgContent}</svg>""");

    /// <summary>A small button's label with a start icon, as MudButton draws it.</summary>
    public static MarkupString ButtonLabel(string svgContent, string label) => new(
        $"""<span class="{MudClasses.ButtonLabel}"><span class="{MudClasses.ButtonStartIconSmall}">{Icon(svgContent, MudClasses.IconSmall)}</span>{label}</span>""");

    /// <summary>A button's label with text only, as MudButton draws it.</summary>
    public static MarkupString ButtonLabel(string label) => new($"""<span class="{MudClasses.ButtonLabel}">{label}</span>""");
}
