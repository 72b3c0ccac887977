using BlazorChat.Accounts;
using BlazorChat.Data;
using Microsoft.AspNetCore.Identity;

namespace BlazorChat.Tests.Accounts;

public sealed class UserSeederTests : IAsyncLifetime
{
    private readonly PasswordHasher<UserAccount> _hasher = AccountsTestDatabase.CreateFastHasher();
    private AccountsTestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await AccountsTestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task SeedAsync_GoodFile_AddsEveryUserWithASaltedHash()
    {
        // Arrange
        await _database.WriteSeedFileAsync("username,password\nhamza,same-password\nKaram,same-password\nzara,\"open, sesame\"\n");
        var seeder = _database.CreateSeeder(_hasher);

        // Act
        var added = await seeder.SeedAsync(CancellationToken.None);

        // Assert
        Assert.Equal(3, added);
        var users = await _database.ReadUsersAsync();
        Assert.Equal(["hamza", "Karam", "zara"], users.Select(u => u.UserName));
        Assert.Equal(["HAMZA", "KARAM", "ZARA"], users.Select(u => u.NormalizedUserName));
        Assert.NotEqual(users[0].PasswordHash, users[1].PasswordHash);
        string[] passwords = ["same-password", "same-password", "open, sesame"];
        for (var i = 0; i < users.Count; i++)
        {
            Assert.DoesNotContain(passwords[i], users[i].PasswordHash, StringComparison.Ordinal);
            Assert.Equal(PasswordVerificationResult.Success, _hasher.VerifyHashedPassword(users[i], users[i].PasswordHash, passwords[i]));
            Assert.Equal(PasswordVerificationResult.Failed, _hasher.VerifyHashedPassword(users[i], users[i].PasswordHash, "wrong"));
            Assert.Equal(0, users[i].FailedSignInCount);
            Assert.Equal(0, users[i].LockoutEndUtcTicks);
        }
    }

    [Fact]
    public async Task SeedAsync_SecondRun_AddsNothingAndKeepsHashes()
    {
        // Arrange
        await _database.WriteSeedFileAsync("username,password\nhamza,123\nkaram,naveed\n");
        var seeder = _database.CreateSeeder(_hasher);
        await seeder.SeedAsync(CancellationToken.None);
        var before = await _database.ReadUsersAsync();

        // Act
        var added = await seeder.SeedAsync(CancellationToken.None);

        // Assert
        Assert.Equal(0, added);
        var after = await _database.ReadUsersAsync();
        Assert.Equal(
            before.Select(u => (u.Id, u.UserName, u.PasswordHash)),
            after.Select(u => (u.Id, u.UserName, u.PasswordHash)));
    }

    [Fact]
    public async Task SeedAsync_SecondRunWithChangedPassword_KeepsTheStoredHash()
    {
        // Arrange
        await _database.WriteSeedFileAsync("username,password\nhamza,123\n");
        var seeder = _database.CreateSeeder(_hasher);
        await seeder.SeedAsync(CancellationToken.None);
        var before = await _database.ReadUserAsync("hamza");
        await _database.WriteSeedFileAsync("username,password\nhamza,changed\n");

        // Act
        var added = await seeder.SeedAsync(CancellationToken.None);

        // Assert
        Assert.Equal(0, added);
        var after = await _database.ReadUserAsync("hamza");
        Assert.Equal(before.PasswordHash, after.PasswordHash);
        Assert.Equal(PasswordVerificationResult.Success, _hasher.VerifyHashedPassword(after, after.PasswordHash, "123"));
    }

    [Fact]
    public async Task SeedAsync_MalformedFileAndEmptyDatabase_ThrowsAndAddsNoAccount()
    {
        // Arrange: two good rows before the bad one.
        await _database.WriteSeedFileAsync("username,password\nhamza,123\nkaram,naveed\nhira\n");
        var seeder = _database.CreateSeeder(_hasher);

        // Act
        var error = await Assert.ThrowsAsync<SeedFileException>(() => seeder.SeedAsync(CancellationToken.None));

        // Assert
        Assert.Contains("seed-users.csv line 4: expected 2 fields", error.Message);
        Assert.Empty(await _database.ReadUsersAsync());
    }

    [Fact]
    public async Task SeedAsync_MalformedFileAndExistingAccounts_ThrowsAndAddsNoAccount()
    {
        // Arrange
        await _database.WriteSeedFileAsync("username,password\nhamza,123\n");
        var seeder = _database.CreateSeeder(_hasher);
        await seeder.SeedAsync(CancellationToken.None);
        var before = await _database.ReadUsersAsync();
        await _database.WriteSeedFileAsync("username,password\nhamza,123\nkaram,naveed\nhira,\nrushna,shah\n");

        // Act
        var error = await Assert.ThrowsAsync<SeedFileException>(() => seeder.SeedAsync(CancellationToken.None));

        // Assert
        Assert.Contains("line 4: the password is empty", error.Message);
        var after = await _database.ReadUsersAsync();
        Assert.Equal(
            before.Select(u => (u.Id, u.UserName, u.PasswordHash)),
            after.Select(u => (u.Id, u.UserName, u.PasswordHash)));
    }

    [Fact]
    public async Task SeedAsync_FileGainsAUser_AddsOnlyThatUser()
    {
        // Arrange
        await _database.WriteSeedFileAsync("username,password\nhamza,123\nkaram,naveed\n");
        var seeder = _database.CreateSeeder(_hasher);
        await seeder.SeedAsync(CancellationToken.None);
        var before = await _database.ReadUsersAsync();
        await _database.WriteSeedFileAsync("username,password\nhamza,123\nkaram,naveed\nhira,najeeb\n");

        // Act
        var added = await seeder.SeedAsync(CancellationToken.None);

        // Assert
        Assert.Equal(1, added);
        var after = await _database.ReadUsersAsync();
        Assert.Equal(
            before.Select(u => (u.Id, u.UserName, u.PasswordHash)),
            after.Take(2).Select(u => (u.Id, u.UserName, u.PasswordHash)));
        var hira = Assert.Single(after.Skip(2));
        Assert.Equal("hira", hira.UserName);
        Assert.Equal(PasswordVerificationResult.Success, _hasher.VerifyHashedPassword(hira, hira.PasswordHash, "najeeb"));
    }

    [Fact]
    public async Task SeedAsync_NameExistsInOtherCase_DoesNotAddItAgain()
    {
        // Arrange
        await _database.AddUserAsync("hamza", _hasher.HashPassword(null!, "original"));
        await _database.WriteSeedFileAsync("username,password\nHamza,other\nkaram,naveed\n");
        var seeder = _database.CreateSeeder(_hasher);

        // Act
        var added = await seeder.SeedAsync(CancellationToken.None);

        // Assert
        Assert.Equal(1, added);
        var users = await _database.ReadUsersAsync();
        Assert.Equal(["hamza", "karam"], users.Select(u => u.UserName));
        Assert.Equal(PasswordVerificationResult.Success, _hasher.VerifyHashedPassword(users[0], users[0].PasswordHash, "original"));
    }

    [Fact]
    public async Task SeedAsync_MissingFileAndEmptyDatabase_Throws()
    {
        // Arrange
        var seeder = _database.CreateSeeder(_hasher);

        // Act
        var error = await Assert.ThrowsAsync<SeedFileException>(() => seeder.SeedAsync(CancellationToken.None));

        // Assert
        Assert.Contains(_database.SeedFilePath, error.Message);
        Assert.Contains("does not exist", error.Message);
        Assert.Empty(await _database.ReadUsersAsync());
    }

    [Fact]
    public async Task SeedAsync_HeaderOnlyFileAndEmptyDatabase_Throws()
    {
        // Arrange
        await _database.WriteSeedFileAsync("username,password\n");
        var seeder = _database.CreateSeeder(_hasher);

        // Act
        var error = await Assert.ThrowsAsync<SeedFileException>(() => seeder.SeedAsync(CancellationToken.None));

        // Assert
        Assert.Contains("nobody could sign in", error.Message, StringComparison.Ordinal);
        Assert.Empty(await _database.ReadUsersAsync());
    }

    [Fact]
    public async Task SeedAsync_MissingFileAndExistingAccounts_ReturnsZero()
    {
        // Arrange
        await _database.AddUserAsync("hamza", _hasher.HashPassword(null!, "123"));
        var seeder = _database.CreateSeeder(_hasher);

        // Act
        var added = await seeder.SeedAsync(CancellationToken.None);

        // Assert
        Assert.Equal(0, added);
        Assert.Equal("hamza", Assert.Single(await _database.ReadUsersAsync()).UserName);
    }

    [Fact]
    public async Task SeedFilePath_DefaultOptions_IsDataSeedUsersCsvUnderContentRoot()
    {
        // Arrange
        await _database.WriteSeedFileAsync("username,password\nhamza,123\n");
        var seeder = _database.CreateSeeder(_hasher);

        // Act
        var path = seeder.SeedFilePath;

        // Assert
        Assert.Equal(Path.Combine(_database.Folder, "Data", "seed-users.csv"), path);
    }

    [Fact]
    public void SeedFileCandidates_DefaultOptions_AreDataUnderContentRootThenBesideIt()
    {
        // Arrange
        var seeder = _database.CreateSeeder(_hasher);

        // Act
        var candidates = seeder.SeedFileCandidates;

        // Assert
        Assert.Equal(
            [Path.Combine(_database.Folder, "Data", "seed-users.csv"), Path.Combine(Path.GetDirectoryName(_database.Folder)!, "Data", "seed-users.csv")],
            candidates);
    }

    [Fact]
    public async Task SeedAsync_DefaultFileOnlyBesideTheContentRoot_SeedsFromIt()
    {
        // Arrange: the layout of `dotnet run --project BlazorChat`: content root BlazorChat/, the file in ../Data/.
        await _database.WriteSeedFileAsync("username,password\nhamza,123\n");
        var contentRoot = Path.Combine(_database.Folder, "BlazorChat");
        Directory.CreateDirectory(contentRoot);
        var seeder = _database.CreateSeeder(_hasher, contentRoot);

        // Act
        var added = await seeder.SeedAsync(CancellationToken.None);

        // Assert
        Assert.Equal(_database.SeedFilePath, seeder.SeedFilePath);
        Assert.Equal(1, added);
    }

    [Fact]
    public async Task SeedAsync_MissingFileAndEmptyDatabase_NamesEveryPathTried()
    {
        // Arrange
        var seeder = _database.CreateSeeder(_hasher);

        // Act
        var error = await Assert.ThrowsAsync<SeedFileException>(() => seeder.SeedAsync(CancellationToken.None));

        // Assert
        Assert.All(seeder.SeedFileCandidates, path => Assert.Contains(path, error.Message));
    }
}
