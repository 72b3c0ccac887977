using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;

namespace BlazorChat.Tests.Hosting;

/// <summary>
/// Debian's nginx running a shipped site (deploy/nginx-blazorchat.conf, or nginx-blazorchat-instances.conf for several
/// instances) and the snippet both include (nginx-blazorchat-proxy.conf) on loopback: the same files with only the
/// certificate paths, the listen ports, the apps' addresses and the snippet's path replaced. Its own prefix, pid file
/// and logs in a temporary folder; a certificate made here; stopped by its pid.
/// </summary>
public sealed partial class NginxProxy : IAsyncDisposable
{
    public const string NginxPath = "/usr/sbin/nginx";

    private readonly Process _process;

    private NginxProxy(Process process, string folder, int httpPort, int httpsPort, X509Certificate2 certificate)
    {
        _process = process;
        Folder = folder;
        HttpAddress = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{httpPort}/"));
        HttpsAddress = new Uri(string.Create(CultureInfo.InvariantCulture, $"https://127.0.0.1:{httpsPort}/"));
        Certificate = certificate;
    }

    public Uri HttpAddress { get; }

    public Uri HttpsAddress { get; }

    public X509Certificate2 Certificate { get; }

    public string Folder { get; }

    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BlazorChat.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("No BlazorChat.sln above the test folder.");
        }
    }

    public static string ShippedSite => Path.Combine(RepositoryRoot, "deploy", "nginx-blazorchat.conf");

    /// <summary>The site for several instances: an ip_hash upstream.</summary>
    public static string ShippedInstancesSite => Path.Combine(RepositoryRoot, "deploy", "nginx-blazorchat-instances.conf");

    /// <summary>The proxying both sites include.</summary>
    public static string ShippedSnippet => Path.Combine(RepositoryRoot, "deploy", "nginx-blazorchat-proxy.conf");

    private const string SnippetInclude = "include /etc/nginx/snippets/blazorchat-proxy.conf;";

    /// <summary>Writes a folder nginx can run from: nginx.conf including the site with the given replacements, and a certificate.</summary>
    public static (string Folder, string ConfigPath, X509Certificate2 Certificate) Prepare(int httpPort, int httpsPort, int appPort) =>
        Prepare(ShippedSite, httpPort, httpsPort, [appPort]);

    /// <summary>
    /// As above for <paramref name="sitePath"/>, whose upstream's servers become <paramref name="appPorts"/> on loopback,
    /// in order (the site must list as many).
    /// </summary>
    public static (string Folder, string ConfigPath, X509Certificate2 Certificate) Prepare(string sitePath, int httpPort, int httpsPort, IReadOnlyList<int> appPorts)
    {
        var folder = Directory.CreateTempSubdirectory("blazorchat-nginx-").FullName;
        Directory.CreateDirectory(Path.Combine(folder, "logs"));
        Directory.CreateDirectory(Path.Combine(folder, "tmp"));
        var certificate = CreateCertificate();
        var certPath = Path.Combine(folder, "cert.pem");
        var keyPath = Path.Combine(folder, "key.pem");
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
        using (var key = certificate.GetRSAPrivateKey()!)
        {
            File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        }

        var upstreams = UpstreamServer().Matches(File.ReadAllText(sitePath)).Count;
        Assert.True(upstreams == appPorts.Count, $"{sitePath} lists {upstreams} upstream servers, the test gives {appPorts.Count}.");
        var next = 0;
        var site = UpstreamServer().Replace(File.ReadAllText(sitePath), _ => string.Create(CultureInfo.InvariantCulture, $"server 127.0.0.1:{appPorts[next++]}"))
            .Replace("/etc/letsencrypt/live/chat.example.com/fullchain.pem", certPath, StringComparison.Ordinal)
            .Replace("/etc/letsencrypt/live/chat.example.com/privkey.pem", keyPath, StringComparison.Ordinal)
            .Replace(SnippetInclude, $"include {folder}/blazorchat-proxy.conf;", StringComparison.Ordinal)
            .Replace("listen 80;", $"listen 127.0.0.1:{httpPort};", StringComparison.Ordinal)
            .Replace("listen 443 ssl http2;", $"listen 127.0.0.1:{httpsPort} ssl http2;", StringComparison.Ordinal)
            .Replace("listen [::]:80;", "", StringComparison.Ordinal)
            .Replace("listen [::]:443 ssl http2;", "", StringComparison.Ordinal)
            .Replace("root /var/www/letsencrypt;", $"root {folder};", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(folder, "site.conf"), site);
        File.Copy(ShippedSnippet, Path.Combine(folder, "blazorchat-proxy.conf"));
        var config = Path.Combine(folder, "nginx.conf");
        File.WriteAllText(config, $$"""
            daemon off;
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/logs/error.log warn;
            worker_processes 1;
            events { worker_connections 256; }
            http {
                include /etc/nginx/mime.types;
                access_log {{folder}}/logs/access.log;
                client_body_temp_path {{folder}}/tmp/body;
                proxy_temp_path {{folder}}/tmp/proxy;
                include {{folder}}/site.conf;
            }
            """);
        return (folder, config, certificate);
    }

    /// <summary>Runs <c>nginx -t</c> on a prepared folder: exit code and everything nginx printed.</summary>
    public static async Task<(int ExitCode, string Output)> TestConfigurationAsync(string folder, string config)
    {
        var start = new ProcessStartInfo(NginxPath, ["-t", "-p", folder, "-c", config])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardError.ReadToEndAsync() + await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (process.ExitCode, output);
    }

    /// <summary>Starts nginx with the single-instance site in front of the app at <paramref name="appPort"/> and waits until it accepts connections.</summary>
    public static Task<NginxProxy> StartAsync(int appPort) => StartAsync(ShippedSite, [appPort]);

    /// <summary>Starts nginx with <paramref name="sitePath"/> in front of the apps at <paramref name="appPorts"/> and waits until it accepts connections.</summary>
    public static async Task<NginxProxy> StartAsync(string sitePath, IReadOnlyList<int> appPorts)
    {
        Assert.True(File.Exists(NginxPath), $"{NginxPath} is missing: ./test.sh installs Debian's nginx (apt-get install nginx-light).");
        var (httpPort, httpsPort) = (FreePort(), FreePort());
        var (folder, config, certificate) = Prepare(sitePath, httpPort, httpsPort, appPorts);
        var start = new ProcessStartInfo(NginxPath, ["-p", folder, "-c", config])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        var proxy = new NginxProxy(process, folder, httpPort, httpsPort, certificate);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                var log = File.Exists(Path.Combine(folder, "logs", "error.log")) ? File.ReadAllText(Path.Combine(folder, "logs", "error.log")) : "";
                throw new InvalidOperationException($"nginx exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}{log}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, httpsPort);
                return proxy;
            }
            catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>A client of the proxy's https side that trusts only this proxy's certificate, connecting from <paramref name="from"/> (a loopback address).</summary>
    public HttpClient CreateClient(IPAddress? from = null, CookieContainer? cookies = null)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = true,
            CookieContainer = cookies ?? new CookieContainer(),
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && presented.GetCertHashString() == Certificate.Thumbprint,
            },
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(from ?? IPAddress.Loopback, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = HttpsAddress };
    }

    public string AccessLog => File.ReadAllText(Path.Combine(Folder, "logs", "access.log"), Encoding.UTF8);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var term = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
            {
                await term!.WaitForExitAsync();
            }

            try
            {
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
        Certificate.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp folder.
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A server line of the site's upstream ("server 127.0.0.1:5080"), its parameters left as they are.</summary>
    [GeneratedRegex(@"(?m)(?<=^\s*)server 127\.0\.0\.1:\d+")]
    private static partial Regex UpstreamServer();

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(2));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), password: null, X509KeyStorageFlags.Exportable);
    }
}
