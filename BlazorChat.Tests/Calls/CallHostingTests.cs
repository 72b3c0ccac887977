using BlazorChat.Tests.EndToEnd;

namespace BlazorChat.Tests.Calls;

/// <summary>The app as calls need it: the Permissions-Policy, and ICE settings checked at start.</summary>
public sealed class CallHostingTests
{
    [Theory]
    [InlineData("Calls:IceServers:0:Urls:0", "http://turn.example.com", "Calls:IceServers:0:Urls:0")]
    [InlineData("Calls:IceServers:0:Urls:0", " ", "Calls:IceServers:0:Urls is empty")]
    [InlineData("Calls:IceServers:0:Urls:0", "turn:turn.example.com:3478", "Calls:IceServers:0 is a TURN server with no credentials")]
    [InlineData("Calls:RingTimeout", "00:00:00", "Calls:RingTimeout")]
    public async Task InvalidCallSettings_StopStartUp_NamingTheSetting(string key, string value, string named)
    {
        await using var server = new BlazorChatServer(new Dictionary<string, string> { [key] = value });

        var error = Record.Exception(server.Start);

        Assert.NotNull(error);
        Assert.Contains(named, Messages(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryPage_AllowsCameraMicrophoneAndScreen_ForTheSiteOnly()
    {
        await using var server = new BlazorChatServer(new Dictionary<string, string>
        {
            ["Calls:IceServers:0:Urls:0"] = "stun:127.0.0.1:3478",
            ["Calls:IceServers:1:Urls:0"] = "turn:127.0.0.1:3478?transport=udp",
            ["Calls:TurnSecret"] = "north",
        });
        server.Start();
        using var client = server.CreateBrowserLikeClient();

        var response = await client.GetAsync("/signin");

        var policy = response.Headers.GetValues("Permissions-Policy").Single().Split(", ");
        Assert.Contains("camera=(self)", policy);
        Assert.Contains("microphone=(self)", policy);
        Assert.Contains("display-capture=(self)", policy);
    }

    private static string Messages(Exception error) =>
        error is AggregateException many ? string.Join("\n", many.InnerExceptions.Select(Messages)) : error.Message + (error.InnerException is { } inner ? "\n" + Messages(inner) : "");
}
