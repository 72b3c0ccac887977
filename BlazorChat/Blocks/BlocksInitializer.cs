namespace BlazorChat.Blocks;

/// <summary>Loads the blocks kept in the database into the router before the server starts listening (after the accounts).</summary>
public sealed class BlocksInitializer(BlockService blocks) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => blocks.LoadAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
