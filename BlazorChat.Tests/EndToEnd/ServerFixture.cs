namespace BlazorChat.Tests.EndToEnd;

/// <summary>The real app on a loopback port, for tests that speak plain HTTP.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public BlazorChatServer Server { get; } = new();

    public Task InitializeAsync()
    {
        Server.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
