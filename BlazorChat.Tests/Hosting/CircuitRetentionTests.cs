using BlazorChat.Tests.EndToEnd;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;

namespace BlazorChat.Tests.Hosting;

/// <summary>A dropped person's tab must still be alive on the server for as long as the chat waits for them.</summary>
public sealed class CircuitRetentionTests
{
    [Theory]
    [InlineData("00:01:00", 180)]
    [InlineData("00:10:00", 630)]
    [InlineData("00:30:00", 1830)]
    public async Task DisconnectedCircuitRetention_CoversTheReconnectGrace(string reconnectGrace, int expectedSeconds)
    {
        await using var server = new BlazorChatServer(new Dictionary<string, string> { ["Chat:ReconnectGrace"] = reconnectGrace });

        var retention = server.Services.GetRequiredService<IOptions<CircuitOptions>>().Value.DisconnectedCircuitRetentionPeriod;

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), retention);
        Assert.True(retention > TimeSpan.Parse(reconnectGrace, System.Globalization.CultureInfo.InvariantCulture));
    }
}
