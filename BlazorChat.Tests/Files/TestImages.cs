namespace BlazorChat.Tests.Files;

/// <summary>Small files with known bytes for the file tests.</summary>
internal static class TestImages
{
    /// <summary>A valid 1×1 PNG (a red pixel).</summary>
    public static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");

    /// <summary>An SVG whose script, if it ever ran, would call back to the server it came from.</summary>
    public static readonly byte[] ScriptedSvg = System.Text.Encoding.UTF8.GetBytes(
        """<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>fetch('/svg-script-ran');parent.postMessage('svg-script-ran','*');</script><rect width="10" height="10"/></svg>""");
}
