using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace BlazorChat.Tests.EndToEnd;

/// <summary>
/// The real app on a real loopback port (Kestrel), with its own SQLite file and key folder in a temporary
/// directory, seeded from the app's own Data/seed-users.csv.
/// </summary>
public sealed class BlazorChatServer : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string> _settings;
    private readonly Action<IWebHostBuilder>? _configure;

    /// <param name="settings">Configuration over the defaults below.</param>
    /// <param name="seedCsv">A seed file in place of the app's own.</param>
    /// <param name="configure">More changes to the host (services, startup filters) for a test that needs them.</param>
    public BlazorChatServer(IDictionary<string, string>? settings = null, string? seedCsv = null, Action<IWebHostBuilder>? configure = null)
    {
        _configure = configure;
        Directory.CreateDirectory(DataDirectory);
        _settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:BlazorChat"] = $"Data Source={Path.Combine(DataDirectory, "blazorchat.db")}",
            ["DataProtection:KeysPath"] = Path.Combine(DataDirectory, "keys"),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (seedCsv is not null)
        {
            var seedPath = Path.Combine(DataDirectory, "seed-users.csv");
            File.WriteAllText(seedPath, seedCsv);
            _settings["Seed:UsersCsv"] = seedPath;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            _settings[key] = value;
        }

        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
    }

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "blazorchat-tests", Guid.NewGuid().ToString("N"));

    public Uri BaseAddress { get; private set; } = null!;

    public void Start()
    {
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
    }

    public HttpClient CreateBrowserLikeClient(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies ?? new CookieContainer(), UseCookies = true })
        {
            BaseAddress = BaseAddress,
        };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        _configure?.Invoke(builder);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left for the OS to clean; it is in the temp folder.
        }
    }
}
