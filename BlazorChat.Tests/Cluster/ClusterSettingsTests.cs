using System.Net;
using BlazorChat.Cluster;
using BlazorChat.Hosting;
using BlazorChat.Tests.EndToEnd;
using Microsoft.Extensions.Configuration;

namespace BlazorChat.Tests.Cluster;

/// <summary>A bad Cluster setting stops start-up with the setting named (and never repeats a password); good ones bind.</summary>
public sealed class ClusterSettingsTests
{
    [Theory]
    [InlineData("Cluster:Redis", "127.0.0.1:6379,password=s3cret,nosuchoption=1")]
    [InlineData("Cluster:Redis", "127.0.0.1:6379,password=s3cret,connectTimeout=soon")]
    [InlineData("Cluster:Redis", "password=s3cret")]
    [InlineData("Cluster:Redis", "127.0.0.1:notaport,password=s3cret")]
    [InlineData("Cluster:Redis", " , ")]
    [InlineData("Cluster:SiloPort", "-1")]
    [InlineData("Cluster:SiloPort", "65536")]
    [InlineData("Cluster:GatewayPort", "65536")]
    [InlineData("Cluster:ClusterId", "not a name")]
    public async Task BadSetting_StopsStartUp_NamingTheSetting(string key, string value)
    {
        await using var server = new BlazorChatServer(new Dictionary<string, string> { [key] = value });

        var error = Record.Exception(server.Start);

        Assert.NotNull(error);
        var messages = Messages(error);
        Assert.Contains(key, messages, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", messages, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SiloAndGatewayOnOnePort_StopsStartUp_NamingBoth()
    {
        await using var server = new BlazorChatServer(new Dictionary<string, string> { ["Cluster:SiloPort"] = "30000", ["Cluster:GatewayPort"] = "30000" });

        var messages = Messages(Record.Exception(server.Start)!);

        Assert.Contains("Cluster:SiloPort and Cluster:GatewayPort are both 30000", messages, StringComparison.Ordinal);
    }

    [Fact]
    public void GoodSettings_BindAndPass()
    {
        // Bound as the app binds them; not started, since a clustered instance needs its Redis to start.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cluster:Redis"] = "127.0.0.1:6390,password=s3cret,connectTimeout=7000",
            ["Cluster:SiloPort"] = "11112",
            ["Cluster:GatewayPort"] = "30002",
        }).Build();

        var options = configuration.GetSection(ClusterOptions.SectionName).Get<ClusterOptions>()!;

        Assert.True(options.IsClustered);
        Assert.Equal((11112, 30002), (options.SiloPort, options.GatewayPort));
        Assert.True(new ClusterSettingsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Configuration_KeepsTheOperatorsValues_AndNeverAbortsOnAFailedConnect()
    {
        var given = RedisReadyCheck.Configuration("redis.example.com:6390,connectTimeout=7000,abortConnect=true");
        var defaults = RedisReadyCheck.Configuration("redis.example.com:6390");

        Assert.Equal(7000, given.ConnectTimeout);
        Assert.False(given.AbortOnConnectFail);
        var server = Assert.IsType<DnsEndPoint>(Assert.Single(given.EndPoints));
        Assert.Equal(("redis.example.com", 6390), (server.Host, server.Port));
        Assert.Equal((2000, 2000, 2000), (defaults.ConnectTimeout, defaults.SyncTimeout, defaults.AsyncTimeout));
        Assert.False(defaults.AbortOnConnectFail);
    }

    private static string Messages(Exception error) => error switch
    {
        AggregateException aggregate => string.Join(" | ", aggregate.InnerExceptions.Select(Messages)),
        { InnerException: { } inner } => error.Message + " | " + Messages(inner),
        _ => error.Message,
    };
}
