using Microsoft.Extensions.Primitives;

namespace BlazorChat.Hosting;

/// <summary>
/// Headers on every response: a Content-Security-Policy that allows scripts only from this site (no
/// inline script, no eval), no framing, no MIME sniffing, no referrer leaks. MudBlazor writes inline
/// styles, so styles (not scripts) may be inline.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; " +
        "frame-ancestors 'none'";

    private static readonly object OwnPolicy = new();

    /// <summary>Gives this response <paramref name="policy"/> in place of the app's Content-Security-Policy.</summary>
    public static void SetOwnContentSecurityPolicy(HttpContext context, string policy)
    {
        context.Items[OwnPolicy] = true;
        context.Response.Headers.ContentSecurityPolicy = policy;
    }

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(static (context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var headers = ((HttpContext)state).Response.Headers;
                // A response that chose its own (a sent file's sandbox) keeps it; any other is replaced.
                if (!((HttpContext)state).Items.ContainsKey(OwnPolicy))
                {
                    headers.ContentSecurityPolicy = ContentSecurityPolicy;
                }

                headers.XFrameOptions = "DENY";
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers["Permissions-Policy"] = "camera=(self), microphone=(self), display-capture=(self), geolocation=()";
                return Task.CompletedTask;
            }, context);
            return next(context);
        });

    /// <summary>
    /// Refuses a connection to the Blazor hub opened by a page of another site (cross-site WebSocket
    /// hijacking): its Origin must be this site's own, or one listed in Security:AllowedOrigins.
    /// </summary>
    public static IApplicationBuilder UseSameOriginCircuits(this IApplicationBuilder app, IConfiguration configuration)
    {
        var allowed = AllowedOrigins(configuration.GetSection("Security:AllowedOrigins"));
        return app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/_blazor")
                && context.Request.Headers.Origin is { Count: > 0 } origin
                && !IsSameOrigin(context.Request, origin)
                && !allowed.Contains(origin.ToString(), StringComparer.OrdinalIgnoreCase))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            }

            return next(context);
        });
    }

    /// <summary>
    /// The configured origins as a browser sends them: scheme://host[:port], the host in its ASCII (punycode) form,
    /// the default port left out, a trailing slash dropped. They may be listed (Security:AllowedOrigins:0, :1, …) or
    /// given as one comma-separated value, as an environment variable or the command line naturally does. Anything
    /// else, such as a path, would never match a browser's Origin and silently refuse that site's pages, so it stops
    /// start-up with the entry named.
    /// </summary>
    internal static string[] AllowedOrigins(IConfigurationSection section)
    {
        string[] listed = section.Get<string[]>() ?? [];
        var given = section.Value?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
        return [.. listed.Concat(given).Select(Origin)];
    }

    /// <summary>One configured origin as a browser sends it; anything else stops start-up.</summary>
    internal static string Origin(string entry)
    {
        if (!Uri.TryCreate(entry, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            throw new InvalidOperationException(
                $"Security:AllowedOrigins: '{entry}' is not an origin; write it as a browser sends it, scheme://host[:port] "
                + "with nothing after the host (for example https://chat.example.com).");
        }

        // Browsers send an international name in punycode; an IPv6 address keeps its brackets (Host has them).
        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host : uri.IdnHost;
        return uri.IsDefaultPort ? $"{uri.Scheme}://{host}" : $"{uri.Scheme}://{host}:{uri.Port}";
    }

    // Host and port only: behind a TLS-terminating proxy the page is https while this request is http.
    private static bool IsSameOrigin(HttpRequest request, StringValues origin) =>
        Uri.TryCreate(origin.ToString(), UriKind.Absolute, out var uri)
        && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
}
