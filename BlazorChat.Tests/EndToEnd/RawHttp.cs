using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BlazorChat.Tests.EndToEnd;

/// <summary>
/// One HTTP/1.1 request written byte for byte over a socket, for what HttpClient will not send as given:
/// a request target it would normalise (dot segments, escapes, double slashes) or a Host of another site.
/// </summary>
internal static class RawHttp
{
    public sealed record Response(int Status, IReadOnlyDictionary<string, string> Headers, string Body);

    public static async Task<Response> SendAsync(
        Uri server, string method, string target, string? host = null, IEnumerable<(string Name, string Value)>? headers = null, string? form = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        await using var stream = client.GetStream();
        var body = form is null ? [] : Encoding.UTF8.GetBytes(form);
        StringBuilder request = new();
        request.Append($"{method} {target} HTTP/1.1\r\nHost: {host ?? server.Authority}\r\nConnection: close\r\n");
        foreach (var (name, value) in headers ?? [])
        {
            request.Append($"{name}: {value}\r\n");
        }

        if (form is not null)
        {
            request.Append($"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {body.Length}\r\n");
        }

        request.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()));
        await stream.WriteAsync(body);

        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        var headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var lines = text[..headerEnd].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var parsed = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim();
            parsed[name] = parsed.TryGetValue(name, out var earlier) ? earlier + ", " + value : value;
        }

        return new Response(status, parsed, text[(headerEnd + 4)..]);
    }

    /// <summary>The form fields of a sign-in post, encoded as a browser does.</summary>
    public static string SignInForm(string token, string userName, string password) =>
        string.Join('&', new[]
        {
            ("_handler", "signin"),
            ("__RequestVerificationToken", token),
            ("Input.UserName", userName),
            ("Input.Password", password),
        }.Select(f => $"{WebUtility.UrlEncode(f.Item1)}={WebUtility.UrlEncode(f.Item2)}"));
}
