namespace BlazorChat.Components.Comforts;

/// <summary>
/// Light or dark: the system's setting (prefers-color-scheme) unless the person chose one with the app bar's switch,
/// which js/comforts.js remembers in the <see cref="CookieName"/> cookie. The page is drawn with the choice on its
/// html element, so it never shows the wrong theme first.
/// </summary>
public static class AppTheme
{
    /// <summary>The cookie js/comforts.js writes: "light" or "dark"; absent, the system decides.</summary>
    public const string CookieName = "theme";

    public const string Light = "light";

    public const string Dark = "dark";

    /// <summary>The theme a request's cookie chose, or null to follow the system. Anything else the browser sends is ignored.</summary>
    public static string? Chosen(HttpContext? context) =>
        context?.Request.Cookies[CookieName] switch
        {
            Light => Light,
            Dark => Dark,
            _ => null,
        };
}
