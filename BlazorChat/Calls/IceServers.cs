using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace BlazorChat.Calls;

/// <summary>One RTCIceServer as the browser takes it (serialised in camelCase: urls, username, credential).</summary>
public sealed record IceServer(IReadOnlyList<string> Urls, string? Username = null, string? Credential = null);

/// <summary>
/// The ICE servers for one call. TURN servers without a fixed user get credentials of their own per call, after coturn's
/// use-auth-secret scheme (draft-uberti-behave-turn-rest-00): the user is "expiry:name", the password
/// base64(HMAC-SHA1(secret, user)). The secret never leaves the server; a leaked password expires on its own.
/// </summary>
public sealed class IceServers(IOptions<CallOptions> options, TimeProvider time)
{
    private readonly CallOptions _options = options.Value;

    public IReadOnlyList<IceServer> For(string userName)
    {
        List<IceServer> servers = [];
        foreach (var server in _options.IceServers)
        {
            var urls = server.Urls.Where(u => !string.IsNullOrWhiteSpace(u)).Select(u => u.Trim()).ToArray();
            var turn = urls.Any(u => u.StartsWith("turn", StringComparison.OrdinalIgnoreCase));
            if (!turn)
            {
                servers.Add(new IceServer(urls));
            }
            else if (!string.IsNullOrEmpty(server.Username))
            {
                servers.Add(new IceServer(urls, server.Username, server.Credential));
            }
            else if (_options.TurnSecret is { Length: > 0 } secret)
            {
                var (user, password) = TurnCredentials(secret, userName, time.GetUtcNow() + _options.TurnCredentialLifetime);
                servers.Add(new IceServer(urls, user, password));
            }
        }

        return servers;
    }

    /// <summary>coturn's REST credentials for <paramref name="userName"/>, valid until <paramref name="expires"/>.</summary>
    public static (string User, string Password) TurnCredentials(string secret, string userName, DateTimeOffset expires)
    {
        var user = string.Create(CultureInfo.InvariantCulture, $"{expires.ToUnixTimeSeconds()}:{userName}");
        var mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(user));
        return (user, Convert.ToBase64String(mac));
    }
}
