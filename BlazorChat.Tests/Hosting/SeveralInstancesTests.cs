using System.Net;
using BlazorChat.Tests.Cluster;
using BlazorChat.Tests.EndToEnd;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using StackExchange.Redis;

namespace BlazorChat.Tests.Hosting;

/// <summary>
/// The deploy/ files for several instances: the nginx site with its ip_hash upstream in front of two running apps, the
/// template unit, and the Redis configuration, each checked by the tool that reads it.
/// </summary>
public sealed class SeveralInstancesTests
{
    private const string InstanceHeader = "X-Test-Instance";
    private static readonly string TemplateUnit = Path.Combine(NginxProxy.RepositoryRoot, "deploy", "blazorchat@.service");
    private static readonly string RedisConfig = Path.Combine(NginxProxy.RepositoryRoot, "deploy", "redis-blazorchat.conf");

    /// <summary>Client addresses in different /24s: ip_hash hashes an IPv4 address's first three bytes.</summary>
    private static readonly IPAddress[] Clients = [.. Enumerable.Range(1, 16).Select(n => IPAddress.Parse($"127.0.{n}.1"))];

    [Fact]
    public async Task InstancesSite_WithTestCertificates_PassesNginxTest()
    {
        Assert.True(File.Exists(NginxProxy.NginxPath), $"{NginxProxy.NginxPath} is missing: ./test.sh installs Debian's nginx.");
        var (folder, config, certificate) = NginxProxy.Prepare(NginxProxy.ShippedInstancesSite, NginxProxy.FreePort(), NginxProxy.FreePort(), [NginxProxy.FreePort(), NginxProxy.FreePort()]);
        try
        {
            var (exitCode, output) = await NginxProxy.TestConfigurationAsync(folder, config);

            Assert.True(exitCode == 0, output);
            Assert.Contains("test is successful", output, StringComparison.Ordinal);
        }
        finally
        {
            certificate.Dispose();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task InstancesSite_KeepsEachClientOnOneInstance_AndSendsThemToTheOtherWhenItStops()
    {
        var first = new BlazorChatServer(configure: web => MarkResponses(web, "first"));
        await using var second = new BlazorChatServer(configure: web => MarkResponses(web, "second"));
        NginxProxy? proxy = null;
        try
        {
            await Task.WhenAll(Task.Run(first.Start), Task.Run(second.Start));
            proxy = await NginxProxy.StartAsync(NginxProxy.ShippedInstancesSite, [first.BaseAddress.Port, second.BaseAddress.Port]);

            // Each client twice: ip_hash gives it the same instance both times, and the clients are spread over both.
            var served = new Dictionary<IPAddress, string>();
            foreach (var client in Clients)
            {
                var firstAnswer = await HealthzAsync(proxy, client);
                var secondAnswer = await HealthzAsync(proxy, client);
                Assert.Equal(firstAnswer, secondAnswer);
                served[client] = firstAnswer;
            }

            Assert.Equal(["first", "second"], served.Values.Distinct().Order(StringComparer.Ordinal));

            // The first instance stops: its clients' next requests are answered by the second, none fails.
            await first.DisposeAsync();
            foreach (var client in Clients)
            {
                Assert.Equal("second", await HealthzAsync(proxy, client));
            }
        }
        finally
        {
            if (proxy is not null)
            {
                await proxy.DisposeAsync();
            }

            await first.DisposeAsync();
        }
    }

    [Fact]
    public async Task TemplateUnit_PassesSystemdAnalyzeVerifyWithoutAWarning()
    {
        var (exitCode, output) = await DeployFilesTests.VerifyAsync(File.ReadAllText(TemplateUnit), "blazorchat@1.service");

        Assert.True(exitCode == 0 && output.Length == 0, $"systemd-analyze verify exited {exitCode}:\n{output}");
    }

    [Theory]
    [InlineData("0", "http://127.0.0.1:5080", "11110", "30000")]
    [InlineData("1", "http://127.0.0.1:5081", "11111", "30001")]
    public void TemplateUnit_GivesEachInstanceItsPorts_MatchingTheInstancesSite(string instance, string url, string siloPort, string gatewayPort)
    {
        var unit = File.ReadAllLines(TemplateUnit).Select(l => l.Trim().Replace("%i", instance, StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        var site = File.ReadAllText(NginxProxy.ShippedInstancesSite);

        Assert.Contains($"Environment=ASPNETCORE_URLS={url}", unit);
        Assert.Contains($"Environment=Cluster__SiloPort={siloPort}", unit);
        Assert.Contains($"Environment=Cluster__GatewayPort={gatewayPort}", unit);
        Assert.Contains($"server {url["http://".Length..]} ", site, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RedisConfig_RunsOnDebiansRedis_WithoutPersistenceAndWithoutEviction()
    {
        await using var redis = RedisServer.FromConfigFile(RedisConfig);
        await redis.StartAsync();
        await using var connection = await ConnectionMultiplexer.ConnectAsync($"{redis.ConnectionString},allowAdmin=true");
        var server = connection.GetServer(redis.ConnectionString);

        var settings = (await server.ConfigGetAsync("*")).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

        Assert.Equal("", settings["save"]);
        Assert.Equal("no", settings["appendonly"]);
        Assert.Equal("noeviction", settings["maxmemory-policy"]);
        Assert.Equal((512L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture), settings["maxmemory"]);
        Assert.Equal("yes", settings["protected-mode"]);
    }

    private static async Task<string> HealthzAsync(NginxProxy proxy, IPAddress from)
    {
        using var client = proxy.CreateClient(from);
        using var response = await client.GetAsync("/healthz");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/healthz from {from} answered {response.StatusCode}");
        return Assert.Single(response.Headers.GetValues(InstanceHeader));
    }

    /// <summary>Every response of this instance says which one it is.</summary>
    private static void MarkResponses(IWebHostBuilder web, string name) =>
        web.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new MarkingFilter(name)));

    private sealed class MarkingFilter(string name) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Response.Headers[InstanceHeader] = name;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
