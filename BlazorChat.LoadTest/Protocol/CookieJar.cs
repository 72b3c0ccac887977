using System.Net.Http.Headers;

namespace BlazorChat.LoadTest.Protocol;

/// <summary>
/// The cookies of one simulated person for one site. Far smaller than a CookieContainer (which is what
/// lets thousands of people share one connection pool): every cookie of the app is host-only with path "/",
/// so a name and a value are all there is to keep.
/// </summary>
public sealed class CookieJar
{
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public string? this[string name]
    {
        get
        {
            lock (_lock)
            {
                return _cookies.GetValueOrDefault(name);
            }
        }
    }

    /// <summary>The value of a Cookie request header, or null when there are none.</summary>
    public string? CookieHeader
    {
        get
        {
            lock (_lock)
            {
                return _cookies.Count == 0 ? null : string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}"));
            }
        }
    }

    /// <summary>Takes every Set-Cookie of a response: a cookie that expires in the past, or is emptied, is removed.</summary>
    public void Update(HttpResponseHeaders headers)
    {
        if (!headers.TryGetValues("Set-Cookie", out var values))
        {
            return;
        }

        foreach (var setCookie in values)
        {
            Set(setCookie);
        }
    }

    internal void Set(string setCookie)
    {
        var parts = setCookie.Split(';');
        var pair = parts[0];
        var equals = pair.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            return;
        }

        var name = pair[..equals].Trim();
        var value = pair[(equals + 1)..].Trim();
        var expired = parts.Skip(1).Select(p => p.Trim()).Any(attribute =>
            (attribute.StartsWith("expires=", StringComparison.OrdinalIgnoreCase)
                && DateTimeOffset.TryParse(attribute["expires=".Length..], out var expires)
                && expires < DateTimeOffset.UtcNow)
            || (attribute.StartsWith("max-age=", StringComparison.OrdinalIgnoreCase)
                && long.TryParse(attribute["max-age=".Length..], out var maxAge) && maxAge <= 0));
        lock (_lock)
        {
            if (expired || value.Length == 0)
            {
                _cookies.Remove(name);
            }
            else
            {
                _cookies[name] = value;
            }
        }
    }
}
