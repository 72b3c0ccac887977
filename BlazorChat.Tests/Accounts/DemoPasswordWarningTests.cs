using BlazorChat.Accounts;
using BlazorChat.Tests.EndToEnd;

namespace BlazorChat.Tests.Accounts;

public sealed class DemoPasswordWarningTests
{
    [Fact]
    public void DemoAccounts_AreTheShippedSeedFiles()
    {
        var shipped = SeedUserCsv.Parse(File.ReadAllText(Path.Combine(Hosting.NginxProxy.RepositoryRoot, "Data", "seed-users.csv")), "seed");

        Assert.Equal(shipped.Select(u => (u.UserName, u.Password)), DemoPasswordWarning.DemoAccounts);
    }

    [Fact]
    public async Task Find_NamesOnlyTheEnabledAccountsThatStillHaveTheirDemoPassword()
    {
        await using var server = new BlazorChatServer(new Dictionary<string, string> { ["Accounts:PasswordHashIterations"] = "10000" });
        server.Start();
        var accounts = server.Services.GetRequiredService<AccountAdministration>();
        await accounts.SetPasswordAsync("hamza", "a-real-secret", CancellationToken.None);
        await accounts.DisableAsync("karam", CancellationToken.None);

        var found = await server.Services.GetRequiredService<DemoPasswordWarning>().FindAsync(CancellationToken.None);

        Assert.Equal(["hassaan", "hira", "rushna", "zara"], found.Order(StringComparer.Ordinal));
    }
}
