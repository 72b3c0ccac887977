using BlazorChat.Blocks;
using BlazorChat.Chat;
using BlazorChat.Tests.Accounts;
using BlazorChat.Tests.Chat;

namespace BlazorChat.Tests.Blocks;

/// <summary>Blocks written to the database through the real service and router, and read back by a new router.</summary>
public sealed class BlockServiceTests : IAsyncLifetime
{
    private AccountsTestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await AccountsTestDatabase.CreateAsync();
        foreach (var name in RouterFixture.DefaultUsers)
        {
            await _database.AddUserAsync(name, "not-a-hash");
        }
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private BlockService ServiceFor(RouterFixture fixture) => new(_database.Factory, fixture.Accounts, fixture.Router, fixture.Silo, fixture.Time);

    [Fact]
    public async Task Block_KeptInTheDatabase_HoldsAfterARestart_AndUnblockToo()
    {
        var before = new RouterFixture();
        Assert.Equal(BlockResult.Done, await ServiceFor(before).BlockAsync("hamza", "KARAM"));
        Assert.Equal(BlockResult.Done, await ServiceFor(before).BlockAsync("hamza", "hira"));
        Assert.True(before.Router.IsBlocking("hamza", "karam"));

        // A new process: a new router, loaded from the database as at start.
        var after = new RouterFixture();
        var service = ServiceFor(after);
        await service.LoadAsync(CancellationToken.None);
        Assert.Equal(["hira", "karam"], await service.BlockedByAsync("hamza"));
        var (karam, _) = after.Connect("karam");
        after.Connect("hamza");
        Assert.Equal(PresenceStatus.Offline, karam.StatusOf("hamza"));

        Assert.Equal(BlockResult.Done, await service.UnblockAsync("hamza", "karam"));
        var third = new RouterFixture();
        await ServiceFor(third).LoadAsync(CancellationToken.None);
        Assert.Equal(["hira"], third.Router.BlockedBy("hamza"));
    }

    [Fact]
    public async Task Block_UnknownNameOrOneself_IsRefusedAndWritesNothing()
    {
        var fixture = new RouterFixture();
        var service = ServiceFor(fixture);

        Assert.Equal(BlockResult.UnknownUser, await service.BlockAsync("hamza", "nobody"));
        Assert.Equal(BlockResult.UnknownUser, await service.BlockAsync("hamza", new string('a', 500)));
        Assert.Equal(BlockResult.CannotBlockSelf, await service.BlockAsync("hamza", "HAMZA"));
        Assert.Equal(BlockResult.AlreadyBlocked, await service.BlockAsync("hamza", "karam") is BlockResult.Done ? await service.BlockAsync("hamza", "karam") : BlockResult.Done);

        var reloaded = new RouterFixture();
        await ServiceFor(reloaded).LoadAsync(CancellationToken.None);
        Assert.Equal(["karam"], reloaded.Router.BlockedBy("hamza"));
    }
}
