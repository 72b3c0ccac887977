using BlazorChat.Accounts;
using BlazorChat.Data;
using BlazorChat.Tests.EndToEnd;
using Microsoft.EntityFrameworkCore;

namespace BlazorChat.Tests.Accounts;

/// <summary>The app as `dotnet run` hosts it (content root BlazorChat/) finds the top-level seed file with no setting.</summary>
public sealed class SeedFileLocationTests
{
    [Fact]
    public async Task SeedFilePath_AppContentRootAndNoSetting_IsTheTopLevelDataFile()
    {
        // Arrange
        await using var server = new BlazorChatServer();

        // Act
        server.Start();

        // Assert
        var seeder = server.Services.GetRequiredService<UserSeeder>();
        Assert.Equal(Path.Combine(RepositoryRoot(), "Data", "seed-users.csv"), seeder.SeedFilePath);
        await using var db = await server.Services.GetRequiredService<IDbContextFactory<BlazorChatDbContext>>().CreateDbContextAsync();
        Assert.Equal(["hamza", "karam", "hira", "rushna", "hassaan", "zara"], await db.Users.OrderBy(u => u.Id).Select(u => u.UserName).ToListAsync());
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BlazorChat.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("BlazorChat.sln not found");
    }
}
