namespace BlazorChat.Hosting;

/// <summary>
/// Where the app finds its settings, static files, seed file and relative state paths. A host's default is the
/// working directory, so a published app started from elsewhere (<c>dotnet /opt/blazorchat/BlazorChat.dll</c> from
/// <c>/</c>) would find none of them. Unless one is given (<c>--contentRoot</c>, ASPNETCORE_CONTENTROOT or
/// DOTNET_CONTENTROOT), a working directory without the app's <c>appsettings.json</c> gives way to the app's own folder.
/// <c>dotnet run</c> and the tests start in a folder that has it, and keep it.
/// </summary>
public static class AppContentRoot
{
    public static WebApplicationOptions Options(string[] args) => new()
    {
        Args = args,
        ContentRootPath = IsGiven(args) || File.Exists(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"))
            ? null
            : AppContext.BaseDirectory,
    };

    private static bool IsGiven(string[] args) =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"))
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT"))
        || args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase) || a.StartsWith("/contentRoot", StringComparison.OrdinalIgnoreCase));
}
