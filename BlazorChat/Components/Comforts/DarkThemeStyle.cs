using Microsoft.AspNetCore.Components.Rendering;
using MudBlazor;

namespace BlazorChat.Components.Comforts;

/// <summary>
/// MudBlazor's dark palette as CSS variables that apply only when the page is dark: when the html element says so
/// (data-theme="dark"), or when the system prefers dark and the person chose nothing. Drawn with the page beside the
/// light <see cref="MudThemeProvider"/> (given IsDarkMode), so switching needs no server and no reload.
/// </summary>
public sealed class DarkThemeStyle : MudThemeProvider
{
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        // BuildTheme gives one :root { … } rule (in a style element) with the current palette: the dark one here.
        var theme = BuildTheme();
        var (open, close) = (theme.IndexOf('{', StringComparison.Ordinal), theme.LastIndexOf('}'));
        if (open < 0 || close < open)
        {
            return;
        }

        var variables = theme[(open + 1)..close];
        builder.AddMarkupContent(0,
            "<style>:root[data-theme=dark]{" + variables + "}@media (prefers-color-scheme: dark){:root:not([data-theme=light]){" + variables + "}}</style>");
    }
}
