using System.Globalization;
using System.Text;

namespace BlazorChat.Files;

/// <summary>
/// How a name or type the browser gave is made safe to show and to send back: any script is kept, but only the last
/// path part, no control or bidi-override characters, and at most <see cref="MaxLength"/> characters. It is shown as
/// text and used in Content-Disposition, never as a path (files are stored by their random id).
/// </summary>
public static class FileNames
{
    public const int MaxLength = 120;
    public const string Fallback = "file";
    public const string UnknownType = "application/octet-stream";

    public static string Clean(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return Fallback;
        }

        var lastPart = name[(name.AsSpan().LastIndexOfAny('/', '\\') + 1)..];
        var clean = new StringBuilder(Math.Min(lastPart.Length, MaxLength * 2));
        foreach (var rune in lastPart.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate)
            {
                // Bidi overrides and isolates, zero-width marks and the rest: none belongs in a file's name.
                continue;
            }

            clean.Append(rune.ToString());
        }

        var text = clean.ToString().Trim().TrimEnd('.');
        if (text.Length == 0 || text is "." or "..")
        {
            return Fallback;
        }

        // Cut on a whole character (an emoji with its modifiers is one), keeping the extension when there is room.
        var info = new StringInfo(text);
        if (info.LengthInTextElements <= MaxLength)
        {
            return text;
        }

        var extension = Path.GetExtension(text);
        var keep = extension.Length is > 0 and <= 10 ? MaxLength - 1 - new StringInfo(extension).LengthInTextElements : MaxLength - 1;
        return info.SubstringByTextElements(0, keep) + "…" + (extension.Length is > 0 and <= 10 ? extension : "");
    }

    /// <summary>A declared media type of the form type/subtype (lower case), or <see cref="UnknownType"/>.</summary>
    public static string CleanType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return UnknownType;
        }

        var type = contentType.Split(';', 2)[0].Trim().ToLowerInvariant();
        var slash = type.IndexOf('/', StringComparison.Ordinal);
        return type.Length <= 100 && slash > 0 && slash < type.Length - 1 && type.All(static c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '+' or '-')
            && type.IndexOf('/', slash + 1) < 0
            ? type
            : UnknownType;
    }

    /// <summary>A size as a person reads it: "512 bytes", "1.5 KB", "100 MB" (units of 1,024).</summary>
    public static string Size(long bytes) => bytes switch
    {
        1 => "1 byte",
        < 1024 => $"{bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes",
        < 1024 * 1024 => Scaled(bytes, 1024, "KB"),
        < 1024L * 1024 * 1024 => Scaled(bytes, 1024 * 1024, "MB"),
        _ => Scaled(bytes, 1024L * 1024 * 1024, "GB"),
    };

    private static string Scaled(long bytes, long unit, string name)
    {
        var value = (double)bytes / unit;
        return (value < 10 ? value.ToString("0.#", CultureInfo.InvariantCulture) : value.ToString("N0", CultureInfo.InvariantCulture)) + " " + name;
    }
}
