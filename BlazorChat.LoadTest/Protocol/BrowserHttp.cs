using System.Net;

namespace BlazorChat.LoadTest.Protocol;

/// <summary>
/// The HTTP stack every simulated person shares: one connection pool, no cookie handling of its own
/// (each person's <see cref="CookieJar"/> writes the Cookie header), no redirects followed (a browser
/// would, but the client wants to see the sign-in's 302). The circuits' WebSockets are not taken from
/// this pool: an upgraded connection leaves it anyway.
/// </summary>
public sealed class BrowserHttp : IDisposable
{
    public const string AuthCookieName = "BlazorChat.Auth";

    public BrowserHttp(TimeSpan? requestTimeout = null)
    {
        RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(30);
        Handler = new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = 512,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            UseProxy = false,
        };
        Invoker = new HttpMessageInvoker(Handler, disposeHandler: false);
    }

    public SocketsHttpHandler Handler { get; }

    public HttpMessageInvoker Invoker { get; }

    public TimeSpan RequestTimeout { get; }

    public void Dispose()
    {
        Invoker.Dispose();
        Handler.Dispose();
    }
}
