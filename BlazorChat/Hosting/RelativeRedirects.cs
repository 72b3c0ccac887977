using Microsoft.Net.Http.Headers;

namespace BlazorChat.Hosting;

/// <summary>
/// Makes every redirect to this site relative. The cookie middleware's challenge, Blazor's NavigateTo while
/// rendering on the server and its opaque redirects all build an absolute URL from the request's Host header,
/// which the client chooses: a forged Host would come back in the Location (poisoning a cache or a proxy that
/// keys on the path). A Location on the request's own host is cut to its path, query and fragment, so the
/// browser stays on the site it asked; redirects to other sites are left alone.
/// </summary>
public static class RelativeRedirects
{
    /// <summary>Blazor's redirect for enhanced navigation, which the browser's script follows like a Location.</summary>
    public const string EnhancedNavigationHeader = "blazor-enhanced-nav-redirect-location";

    public static IApplicationBuilder UseRelativeRedirects(this IApplicationBuilder app) =>
        app.Use(static (context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var context = (HttpContext)state;
                foreach (var name in (ReadOnlySpan<string>)[HeaderNames.Location, EnhancedNavigationHeader])
                {
                    if (context.Response.Headers.TryGetValue(name, out var location))
                    {
                        context.Response.Headers[name] = Relative(location.ToString(), context.Request.Host);
                    }
                }

                return Task.CompletedTask;
            }, context);
            return next(context);
        });

    /// <summary>The path, query and fragment of a URL on <paramref name="host"/>; anything else unchanged.</summary>
    internal static string Relative(string location, HostString host) =>
        Uri.TryCreate(location, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && string.Equals(uri.Host, host.Host, StringComparison.OrdinalIgnoreCase)
        && uri.Port == (host.Port ?? uri.Port)
        && (host.Port is not null || uri.IsDefaultPort)
            ? uri.PathAndQuery + uri.Fragment
            : location;
}
