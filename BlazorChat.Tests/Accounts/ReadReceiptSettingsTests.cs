using BlazorChat.Accounts;
using BlazorChat.Tests.Chat;

namespace BlazorChat.Tests.Accounts;

/// <summary>Read receipts kept per account in the database, and the router told at start and on change.</summary>
public sealed class ReadReceiptSettingsTests
{
    [Fact]
    public async Task Set_Off_IsStoredAndTakenByTheRouter_AndLoadedAtTheNextStart()
    {
        await using var database = await AccountsTestDatabase.CreateAsync();
        await database.AddUserAsync("karam", "hash");
        var karamId = (await database.ReadUserAsync("karam")).Id;
        var fixture = new RouterFixture();
        var settings = new ReadReceiptSettings(database.Factory, fixture.Router, fixture.Silo);
        Assert.True(await settings.GetAsync(karamId, CancellationToken.None));

        Assert.True(await settings.SetAsync(karamId, on: false, CancellationToken.None));

        Assert.False(await settings.GetAsync(karamId, CancellationToken.None));
        Assert.True((await database.ReadUserAsync("karam")).ReadReceiptsOff);
        Assert.False(fixture.Router.ReadReceiptsOn("karam"));

        // A restarted app: a new router learns it from the database.
        var restarted = new RouterFixture();
        await new ReadReceiptSettings(database.Factory, restarted.Router, restarted.Silo).StartAsync(CancellationToken.None);
        Assert.False(restarted.Router.ReadReceiptsOn("karam"));
        Assert.True(restarted.Router.ReadReceiptsOn("hamza"));
    }

    [Fact]
    public async Task Set_UnknownAccount_ChangesNothing()
    {
        await using var database = await AccountsTestDatabase.CreateAsync();
        var fixture = new RouterFixture();

        Assert.False(await new ReadReceiptSettings(database.Factory, fixture.Router, fixture.Silo).SetAsync(12345, on: false, CancellationToken.None));
    }
}
