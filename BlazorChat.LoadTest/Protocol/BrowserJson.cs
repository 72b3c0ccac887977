using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace BlazorChat.LoadTest.Protocol;

/// <summary>
/// JSON as a browser's JSON.stringify writes it: every character as it is, but for quotes, backslashes and
/// controls. System.Text.Json always escapes characters outside the Basic Multilingual Plane (an emoji, a tag
/// character) as two \u escapes, twelve bytes where a browser sends four: a text a browser can send would then
/// not fit in the hub's message size limit.
/// </summary>
public static partial class BrowserJson
{
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Serialize(object value)
    {
        var json = JsonSerializer.Serialize(value, Options);
        return json.Contains("\\u", StringComparison.Ordinal)
            ? EscapedPair().Replace(json, pair => string.Concat(Unit(pair.Groups["high"].Value), Unit(pair.Groups["low"].Value)))
            : json;
    }

    private static string Unit(string hex) => ((char)int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString();

    // A surrogate pair written as two escapes, where the first backslash is not itself escaped (an even number of
    // backslashes before it). A lone surrogate stays escaped, as it must.
    [GeneratedRegex(@"(?<=(?:^|[^\\])(?:\\\\)*)\\u(?<high>D[89AB][0-9A-F]{2})\\u(?<low>D[C-F][0-9A-F]{2})", RegexOptions.IgnoreCase)]
    private static partial Regex EscapedPair();
}
