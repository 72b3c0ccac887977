namespace BlazorChat.Files;

/// <summary>
/// The raster image types a preview may be shown for, told by the file's first bytes. SVG, HTML and everything else are
/// never shown inline: a browser runs the script they may hold.
/// </summary>
public static class ImageTypes
{
    public const string Png = "image/png";
    public const string Jpeg = "image/jpeg";
    public const string Gif = "image/gif";
    public const string Webp = "image/webp";

    /// <summary>The raster image type <paramref name="start"/> (a file's first bytes) begins with, or null.</summary>
    public static string? Sniff(ReadOnlySpan<byte> start) => start switch
    {
        [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Png,
        [0xFF, 0xD8, 0xFF, ..] => Jpeg,
        [(byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'7' or (byte)'9', (byte)'a', ..] => Gif,
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => Webp,
        _ => null,
    };

    /// <summary>
    /// The type a preview is served as: the sniffed type, only when the browser declared the same one (a file whose bytes
    /// and declared type disagree gets no preview).
    /// </summary>
    public static string? PreviewType(string? sniffed, string declared) =>
        sniffed is not null && (string.Equals(sniffed, declared, StringComparison.OrdinalIgnoreCase)
            || (sniffed == Jpeg && string.Equals(declared, "image/jpg", StringComparison.OrdinalIgnoreCase)))
            ? sniffed
            : null;
}
