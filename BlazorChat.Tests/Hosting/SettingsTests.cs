using System.Net;
using BlazorChat.Hosting;
using BlazorChat.Tests.EndToEnd;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BlazorChat.Tests.Hosting;

/// <summary>A setting out of range stops start-up with the setting named; a good one takes effect.</summary>
public sealed class SettingsTests
{
    [Theory]
    [InlineData("Chat:MaxMessageLength", "0")]
    [InlineData("Chat:LeaveGrace", "-00:00:01")]
    [InlineData("Chat:ReconnectGrace", "01:00:00")]
    [InlineData("Chat:MaxPicksPerMinute", "-1")]
    [InlineData("Chat:TranscriptBytes", "1000")]
    [InlineData("Chat:MaxTabEventsPerSecond", "-1")]
    [InlineData("Chat:MaxTabsPerUser", "0")]
    [InlineData("Chat:MaxTabsPerAddress", "-1")]
    [InlineData("Chat:PeopleRefreshInterval", "00:01:00")]
    [InlineData("Chat:PickExpiry", "-00:00:01")]
    [InlineData("Chat:PickExpiry", "2.00:00:00")]
    [InlineData("Accounts:PasswordHashIterations", "1000")]
    [InlineData("Accounts:LockoutDuration", "00:00:00")]
    [InlineData("Accounts:DeviceCookieLifetime", "00:30:00")]
    [InlineData("Accounts:SignInsAtOncePerAddress", "0")]
    [InlineData("Accounts:MaxConcurrentPasswordChecks", "0")]
    [InlineData("Hosting:ShutdownTimeout", "-00:00:01")]
    [InlineData("Files:MaxFileSize", "0")]
    [InlineData("Files:MaxFilesPerChat", "0")]
    [InlineData("Files:MaxStorage", "1000")]
    [InlineData("Files:MaxUploadsPerMinute", "-1")]
    [InlineData("Files:MaxAge", "00:00:00")]
    [InlineData("Files:Path", "")]
    [InlineData("Hosting:ForwardLimit", "0")]
    [InlineData("Hosting:KnownProxies:0", "10.0.0.0/8")]
    [InlineData("Hosting:KnownProxies:0", "proxy.example.com")]
    [InlineData("Hosting:KnownNetworks:0", "10.0.0.300/8")]
    [InlineData("Hosting:KnownNetworks", "10.0.0.0/8, fd00::/129")]
    [InlineData("Security:AllowedOrigins:0", "https://chat.example.com/app")]
    [InlineData("Security:AllowedOrigins:0", "chat.example.com")]
    public async Task OutOfRange_StopsStartUp_NamingTheSetting(string key, string value)
    {
        await using var server = new BlazorChatServer(new Dictionary<string, string> { [key] = value });

        var error = Record.Exception(server.Start);

        Assert.NotNull(error);
        var setting = key.EndsWith(":0", StringComparison.Ordinal) ? key[..^2] : key;
        Assert.Contains(setting, Messages(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShutdownTimeout_IsTheHostsOwn()
    {
        await using var server = new BlazorChatServer(new Dictionary<string, string> { ["Hosting:ShutdownTimeout"] = "00:00:12" });

        Assert.Equal(TimeSpan.FromSeconds(12), server.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    [Theory]
    [InlineData("https://chat.example.com/", "https://chat.example.com", HttpStatusCode.OK)]
    [InlineData("HTTPS://Chat.Example.com:443", "https://chat.example.com", HttpStatusCode.OK)]
    [InlineData("https://chat.example.com", "https://other.example.com", HttpStatusCode.Forbidden)]
    [InlineData("https://chat.example.com", "http://chat.example.com", HttpStatusCode.Forbidden)]
    public async Task AllowedOrigin_AsWritten_LetsOnlyThatSitesPagesOpenTheHub(string configured, string origin, HttpStatusCode expected)
    {
        await using var server = new BlazorChatServer(new Dictionary<string, string> { ["Security:AllowedOrigins:0"] = configured });
        server.Start();

        var status = await server.OpenHubFromAsync(origin);

        Assert.Equal(expected, status);
    }

    [Fact]
    public async Task AllowedOrigins_GivenAsOneValue_AreEachAllowed()
    {
        // As an environment variable (Security__AllowedOrigins) or --Security:AllowedOrigins gives them.
        await using var server = new BlazorChatServer(new Dictionary<string, string> { ["Security:AllowedOrigins"] = "https://chat.example.com, https://other.example.com/" });
        server.Start();

        Assert.Equal(HttpStatusCode.OK, await server.OpenHubFromAsync("https://chat.example.com"));
        Assert.Equal(HttpStatusCode.OK, await server.OpenHubFromAsync("https://other.example.com"));
        Assert.Equal(HttpStatusCode.Forbidden, await server.OpenHubFromAsync("https://third.example.com"));
    }

    [Theory]
    [InlineData("https://chat.example.com/", "https://chat.example.com")]
    [InlineData("http://localhost:8080", "http://localhost:8080")]
    [InlineData("HTTPS://Chat.Example.COM:443", "https://chat.example.com")]
    [InlineData("https://Bücher.example", "https://xn--bcher-kva.example")]
    [InlineData("http://[::1]:5080/", "http://[::1]:5080")]
    public void AllowedOrigin_IsKeptAsBrowsersSendIt(string configured, string kept)
    {
        Assert.Equal(kept, SecurityHeaders.Origin(configured));
    }

    private static string Messages(Exception error) => error switch
    {
        AggregateException aggregate => string.Join(" | ", aggregate.InnerExceptions.Select(Messages)),
        { InnerException: { } inner } => error.Message + " | " + Messages(inner),
        _ => error.Message,
    };
}
