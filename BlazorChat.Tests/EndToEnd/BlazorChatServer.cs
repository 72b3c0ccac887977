using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace BlazorChat.Tests.EndToEnd;

/// <summary>
/// The real app on a real loopback port (Kestrel), with its own SQLite file and key folder in a temporary
/// directory, seeded from the app's own seed file (the top-level Data/seed-users.csv). With <c>https</c> it serves TLS with a throwaway
/// self-signed certificate that only this server's clients trust.
/// </summary>
public sealed class BlazorChatServer : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string> _settings;
    private readonly Action<IWebHostBuilder>? _configure;

    /// <param name="settings">Configuration over the defaults below.</param>
    /// <param name="seedCsv">A seed file in place of the app's own.</param>
    /// <param name="https">Serve TLS with a throwaway self-signed certificate.</param>
    /// <param name="configure">More changes to the host (services, startup filters) for a test that needs them.</param>
    public BlazorChatServer(IDictionary<string, string>? settings = null, string? seedCsv = null, bool https = false, Action<IWebHostBuilder>? configure = null)
    {
        _configure = configure;
        Certificate = https ? CreateLoopbackCertificate() : null;
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

        UseKestrel(options => options.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (Certificate is not null)
            {
                listen.UseHttps(Certificate);
            }
        }));
    }

    /// <summary>The TLS certificate when the server was made with <c>https</c>.</summary>
    public X509Certificate2? Certificate { get; }

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "blazorchat-tests", Guid.NewGuid().ToString("N"));

    public Uri BaseAddress { get; private set; } = null!;

    public void Start()
    {
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
    }

    /// <summary>The status of the first request a page of <paramref name="origin"/> makes to open its live connection.</summary>
    public async Task<HttpStatusCode> OpenHubFromAsync(string origin)
    {
        using var client = CreateBrowserLikeClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        request.Headers.Add("Origin", origin);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    public HttpClient CreateBrowserLikeClient(CookieContainer? cookies = null) =>
        new(new HttpClientHandler
        {
            AllowAutoRedirect = false,
            CookieContainer = cookies ?? new CookieContainer(),
            UseCookies = true,
            ServerCertificateCustomValidationCallback = (_, presented, _, _) =>
                Certificate is not null && presented?.Thumbprint == Certificate.Thumbprint,
        })
        {
            BaseAddress = BaseAddress,
        };

    private static X509Certificate2 CreateLoopbackCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(2));

        // Round-trip through PFX so the private key is usable by Kestrel's TLS on Linux.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), password: null);
    }

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
        Certificate?.Dispose();
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
