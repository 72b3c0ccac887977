using System.Net;
using System.Net.Http.Headers;

namespace BlazorChat.LoadTest.Protocol;

/// <summary>
/// One person's HTTP side: their cookies over the process's shared connection pool. It signs in
/// through the real form, loads pages, and sends the circuit disconnect beacon.
/// </summary>
public sealed class BrowserSession(BrowserHttp http, Uri baseAddress)
{
    /// <summary>What the sign-in page says for an unknown name, a wrong password and a locked account alike.</summary>
    public const string InvalidCredentials = "Invalid username or password";

    public Uri BaseAddress { get; } = baseAddress;

    /// <summary>What a browser sends as Origin: scheme, host and port of the site.</summary>
    public string Origin { get; } = baseAddress.GetLeftPart(UriPartial.Authority);

    public CookieJar Cookies { get; } = new();

    public BrowserHttp Http { get; } = http;

    /// <summary>
    /// GET /signin, then POST its form back with the antiforgery token and the credentials, as the
    /// sign-in button does. Throws unless the server answers with a redirect and the auth cookie.
    /// </summary>
    public async Task SignInAsync(string userName, string password, CancellationToken cancellationToken)
    {
        var signInUri = new Uri(BaseAddress, "signin");
        var (status, html) = await GetAsync(signInUri, cancellationToken);
        if (status != HttpStatusCode.OK)
        {
            throw new BlazorClientException($"GET /signin answered {(int)status}.");
        }

        var form = PrerenderedPage.ReadForm(html);
        var fields = new List<KeyValuePair<string, string>>(form.HiddenFields)
        {
            new(form.InputName("username"), userName),
            new(form.InputName("password"), password),
        };

        var (answer, body) = await PostFormAsync(signInUri, fields, cancellationToken);
        if (answer != HttpStatusCode.Redirect || Cookies[BrowserHttp.AuthCookieName] is null)
        {
            var reason = body.Contains(InvalidCredentials, StringComparison.Ordinal) ? ": invalid username or password" : "";
            throw new BlazorClientException($"Signing in as '{userName}' failed: the server answered {(int)answer}{reason}.");
        }
    }

    /// <summary>POST a form with this person's cookies and the site's Origin, as a browser submits one; no redirect is followed.</summary>
    public async Task<(HttpStatusCode Status, string Html)> PostFormAsync(Uri uri, IEnumerable<KeyValuePair<string, string>> fields, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.TryAddWithoutValidation("Origin", Origin);
        using var response = await SendAsync(request, cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>GET a page with this person's cookies; no redirect is followed.</summary>
    public async Task<(HttpStatusCode Status, string Html)> GetAsync(Uri uri, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        using var response = await SendAsync(request, cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>What blazor.web.js sends when the page goes away: the server disposes the circuit at once.</summary>
    public async Task SendDisconnectBeaconAsync(string circuitId, CancellationToken cancellationToken)
    {
        using var content = new MultipartFormDataContent { { new StringContent(circuitId), "circuitId" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseAddress, "_blazor/disconnect")) { Content = content };
        request.Headers.TryAddWithoutValidation("Origin", Origin);
        using var response = await SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new BlazorClientException($"The disconnect beacon was answered {(int)response.StatusCode}.");
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Cookies.CookieHeader is { } cookies)
        {
            request.Headers.TryAddWithoutValidation("Cookie", cookies);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Http.RequestTimeout);
        HttpResponseMessage response;
        try
        {
            response = await Http.Invoker.SendAsync(request, timeout.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BlazorClientException($"{request.Method} {request.RequestUri} got no answer within {Http.RequestTimeout.TotalSeconds:0.#} s.", ex);
        }

        Cookies.Update(response.Headers);
        return response;
    }
}
