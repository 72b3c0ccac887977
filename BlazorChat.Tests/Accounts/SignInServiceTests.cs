using BlazorChat.Accounts;
using BlazorChat.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SignInResult = BlazorChat.Accounts.SignInResult;

namespace BlazorChat.Tests.Accounts;

public sealed class SignInServiceTests : IAsyncLifetime
{
    private const string Password = "open, sesame";

    private readonly PasswordHasher<UserAccount> _hasher = AccountsTestDatabase.CreateFastHasher();
    private readonly FakeTimeProvider _time = new();
    private AccountsTestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await AccountsTestDatabase.CreateAsync();
        await _database.AddUserAsync("Hamza", _hasher.HashPassword(null!, Password));
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Theory]
    [InlineData("Hamza")]
    [InlineData("hamza")]
    [InlineData("HAMZA")]
    [InlineData("hAmZa")]
    public async Task SignInAsync_RightPasswordInAnyCase_SucceedsWithStoredName(string typedName)
    {
        // Arrange
        var service = CreateService();
        var stored = await _database.ReadUserAsync("Hamza");

        // Act
        var result = await service.SignInAsync(typedName, Password, CancellationToken.None);

        // Assert
        Assert.Equal(new SignInResult(SignInOutcome.Succeeded, stored.Id, "Hamza"), result);
        Assert.True(result.Succeeded);
    }

    [Fact]
    public async Task SignInAsync_WrongPassword_FailsAndCountsTheFailure()
    {
        // Arrange
        var service = CreateService();

        // Act
        var result = await service.SignInAsync("hamza", "open, sesame!", CancellationToken.None);

        // Assert
        Assert.Equal(new SignInResult(SignInOutcome.WrongCredentials), result);
        Assert.False(result.Succeeded);
        Assert.Equal(1, (await _database.ReadUserAsync("hamza")).FailedSignInCount);
    }

    [Fact]
    public async Task SignInAsync_UnknownUser_FailsWithWrongCredentials()
    {
        // Arrange
        var service = CreateService();

        // Act
        var result = await service.SignInAsync("karam", Password, CancellationToken.None);

        // Assert
        Assert.Equal(new SignInResult(SignInOutcome.WrongCredentials), result);
    }

    [Theory]
    [InlineData(null, Password)]
    [InlineData("", Password)]
    [InlineData("hamza", null)]
    [InlineData("hamza", "")]
    public async Task SignInAsync_MissingNameOrPassword_FailsWithWrongCredentials(string? userName, string? password)
    {
        // Arrange
        var service = CreateService();

        // Act
        var result = await service.SignInAsync(userName, password, CancellationToken.None);

        // Assert
        Assert.Equal(new SignInResult(SignInOutcome.WrongCredentials), result);
    }

    [Fact]
    public async Task SignInAsync_EmptyPasswordEvenIfItIsTheStoredOne_Fails()
    {
        // Arrange: an account whose hash is of the empty password can still not be entered with it.
        await _database.AddUserAsync("karam", _hasher.HashPassword(null!, ""));
        var service = CreateService();

        // Act
        var result = await service.SignInAsync("karam", "", CancellationToken.None);

        // Assert
        Assert.Equal(new SignInResult(SignInOutcome.WrongCredentials), result);
    }

    [Fact]
    public async Task SignInAsync_PasswordOver1024CharactersEvenIfItIsTheStoredOne_Fails()
    {
        // Arrange
        var longPassword = new string('p', SeedUserCsv.MaxPasswordLength + 1);
        await _database.AddUserAsync("karam", _hasher.HashPassword(null!, longPassword));
        var service = CreateService();

        // Act
        var result = await service.SignInAsync("karam", longPassword, CancellationToken.None);

        // Assert
        Assert.Equal(new SignInResult(SignInOutcome.WrongCredentials), result);
    }

    [Fact]
    public async Task SignInAsync_PasswordOf1024Characters_Succeeds()
    {
        // Arrange
        var longPassword = new string('p', SeedUserCsv.MaxPasswordLength);
        await _database.AddUserAsync("karam", _hasher.HashPassword(null!, longPassword));
        var service = CreateService();

        // Act
        var result = await service.SignInAsync("karam", longPassword, CancellationToken.None);

        // Assert
        Assert.Equal(SignInOutcome.Succeeded, result.Outcome);
    }

    [Fact]
    public async Task SignInAsync_FiveWrongInARow_LocksUntilTheLockoutEnds()
    {
        // Arrange
        var service = CreateService();
        List<SignInOutcome> wrong = [];
        for (var i = 0; i < 5; i++)
        {
            wrong.Add((await service.SignInAsync("hamza", "wrong", CancellationToken.None)).Outcome);
        }

        // Act
        var rightWhileLocked = await service.SignInAsync("hamza", Password, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        var rightJustBeforeTheEnd = await service.SignInAsync("hamza", Password, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));
        var rightAfterTheEnd = await service.SignInAsync("hamza", Password, CancellationToken.None);

        // Assert
        Assert.Equal(
            [SignInOutcome.WrongCredentials, SignInOutcome.WrongCredentials, SignInOutcome.WrongCredentials, SignInOutcome.WrongCredentials, SignInOutcome.LockedOut],
            wrong);
        Assert.Equal(new SignInResult(SignInOutcome.LockedOut), rightWhileLocked);
        Assert.Equal(new SignInResult(SignInOutcome.LockedOut), rightJustBeforeTheEnd);
        Assert.Equal(SignInOutcome.Succeeded, rightAfterTheEnd.Outcome);
        Assert.Equal("Hamza", rightAfterTheEnd.UserName);
    }

    [Fact]
    public async Task SignInAsync_WrongPasswordWhileLocked_DoesNotExtendTheLockout()
    {
        // Arrange
        var service = CreateService();
        for (var i = 0; i < 5; i++)
        {
            await service.SignInAsync("hamza", "wrong", CancellationToken.None);
        }

        var lockoutEnd = (await _database.ReadUserAsync("hamza")).LockoutEndUtcTicks;
        _time.Advance(TimeSpan.FromMinutes(1));

        // Act
        var result = await service.SignInAsync("hamza", "wrong", CancellationToken.None);

        // Assert
        Assert.Equal(SignInOutcome.LockedOut, result.Outcome);
        Assert.Equal(lockoutEnd, (await _database.ReadUserAsync("hamza")).LockoutEndUtcTicks);
    }

    [Fact]
    public async Task SignInAsync_ConfiguredLimitAndDuration_AreUsed()
    {
        // Arrange
        var service = CreateService(new AccountOptions { MaxFailedSignIns = 2, LockoutDuration = TimeSpan.FromMinutes(30), SignInsPerMinutePerUser = 1000 });

        // Act
        var first = await service.SignInAsync("hamza", "wrong", CancellationToken.None);
        var second = await service.SignInAsync("hamza", "wrong", CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(29));
        var rightAfter29Minutes = await service.SignInAsync("hamza", Password, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(1));
        var rightAfter30Minutes = await service.SignInAsync("hamza", Password, CancellationToken.None);

        // Assert
        Assert.Equal(SignInOutcome.WrongCredentials, first.Outcome);
        Assert.Equal(SignInOutcome.LockedOut, second.Outcome);
        Assert.Equal(SignInOutcome.LockedOut, rightAfter29Minutes.Outcome);
        Assert.Equal(SignInOutcome.Succeeded, rightAfter30Minutes.Outcome);
    }

    [Fact]
    public async Task SignInAsync_SuccessBetweenFailures_ResetsTheCount()
    {
        // Arrange
        var service = CreateService();
        for (var i = 0; i < 4; i++)
        {
            await service.SignInAsync("hamza", "wrong", CancellationToken.None);
        }

        var success = await service.SignInAsync("hamza", Password, CancellationToken.None);
        List<SignInOutcome> wrongAgain = [];
        for (var i = 0; i < 4; i++)
        {
            wrongAgain.Add((await service.SignInAsync("hamza", "wrong", CancellationToken.None)).Outcome);
        }

        // Act
        var right = await service.SignInAsync("hamza", Password, CancellationToken.None);

        // Assert
        Assert.Equal(SignInOutcome.Succeeded, success.Outcome);
        Assert.All(wrongAgain, outcome => Assert.Equal(SignInOutcome.WrongCredentials, outcome));
        Assert.Equal(SignInOutcome.Succeeded, right.Outcome);
    }

    [Fact]
    public async Task SignInAsync_AfterLockoutEnds_CountStartsAgainFromZero()
    {
        // Arrange
        var service = CreateService();
        for (var i = 0; i < 5; i++)
        {
            await service.SignInAsync("hamza", "wrong", CancellationToken.None);
        }

        _time.Advance(TimeSpan.FromMinutes(5));

        // Act
        var oneWrong = await service.SignInAsync("hamza", "wrong", CancellationToken.None);
        var right = await service.SignInAsync("hamza", Password, CancellationToken.None);

        // Assert
        Assert.Equal(SignInOutcome.WrongCredentials, oneWrong.Outcome);
        Assert.Equal(SignInOutcome.Succeeded, right.Outcome);
    }

    [Fact]
    public async Task SignInAsync_TwentyWrongInParallel_NoneSucceedsAndTheAccountLocks()
    {
        // Arrange
        var service = CreateService();

        // Act
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(
            _ => Task.Run(() => service.SignInAsync("hamza", "wrong", CancellationToken.None))));
        var rightAfterwards = await service.SignInAsync("hamza", Password, CancellationToken.None);

        // Assert
        Assert.DoesNotContain(results, r => r.Succeeded);
        Assert.Contains(results, r => r.Outcome == SignInOutcome.LockedOut);
        Assert.True((await _database.ReadUserAsync("hamza")).LockoutEndUtcTicks > _time.GetUtcNow().UtcTicks);
        Assert.Equal(new SignInResult(SignInOutcome.LockedOut), rightAfterwards);
    }

    [Fact]
    public async Task SignInAsync_TwentyWrongInParallelWithLimitTwenty_CountsEveryAttempt()
    {
        // Arrange: no attempt can see a lockout before all twenty are counted, so a lost update shows.
        var service = CreateService(new AccountOptions { MaxFailedSignIns = 20, SignInsPerMinutePerUser = 1000 });

        // Act
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(
            _ => Task.Run(() => service.SignInAsync("hamza", "wrong", CancellationToken.None))));
        var rightAfterwards = await service.SignInAsync("hamza", Password, CancellationToken.None);

        // Assert
        Assert.DoesNotContain(results, r => r.Succeeded);
        Assert.True((await _database.ReadUserAsync("hamza")).LockoutEndUtcTicks > _time.GetUtcNow().UtcTicks);
        Assert.Equal(SignInOutcome.LockedOut, rightAfterwards.Outcome);
    }

    [Fact]
    public async Task SignInAsync_NonAsciiAnd128CharacterPasswords_WorkExactlyAsTyped()
    {
        // Arrange: seeded through the real CSV file, as the app does.
        const string nonAscii = " pässwörd 密码 🔑 ";
        var long128 = " " + string.Concat(Enumerable.Range(0, 126).Select(i => (char)('A' + (i % 58)))) + " ";
        await _database.WriteSeedFileAsync($"username,password\nzoë,\"{nonAscii}\"\nkaram,{long128}\n");
        await _database.CreateSeeder(_hasher).SeedAsync(CancellationToken.None);
        var service = CreateService();

        // Act
        var nonAsciiRight = await service.SignInAsync("ZOË", nonAscii, CancellationToken.None);
        var nonAsciiTrimmed = await service.SignInAsync("zoë", nonAscii.Trim(), CancellationToken.None);
        var longRight = await service.SignInAsync("karam", long128, CancellationToken.None);
        var longTrimmed = await service.SignInAsync("karam", long128.Trim(), CancellationToken.None);

        // Assert
        Assert.Equal(128, long128.Length);
        Assert.Equal(SignInOutcome.Succeeded, nonAsciiRight.Outcome);
        Assert.Equal("zoë", nonAsciiRight.UserName);
        Assert.Equal(SignInOutcome.WrongCredentials, nonAsciiTrimmed.Outcome);
        Assert.Equal(SignInOutcome.Succeeded, longRight.Outcome);
        Assert.Equal(SignInOutcome.WrongCredentials, longTrimmed.Outcome);
    }

    [Fact]
    public async Task SignInAsync_PasswordWithSpaces_TrimmedVariantIsRefused()
    {
        // Arrange
        await _database.WriteSeedFileAsync("username,password\nkaram, pw \n");
        await _database.CreateSeeder(_hasher).SeedAsync(CancellationToken.None);
        var service = CreateService();

        // Act
        var trimmed = await service.SignInAsync("karam", "pw", CancellationToken.None);
        var exact = await service.SignInAsync("karam", " pw ", CancellationToken.None);

        // Assert
        Assert.Equal(SignInOutcome.WrongCredentials, trimmed.Outcome);
        Assert.Equal(SignInOutcome.Succeeded, exact.Outcome);
    }

    [Fact]
    public async Task SignInAsync_StrangerLockedTheAccount_TheOwnersDeviceStillSignsIn()
    {
        // Arrange
        var service = CreateService();
        var owner = new DeviceToken((await _database.ReadUserAsync("hamza")).Id, "owner-device");
        for (var i = 0; i < 5; i++)
        {
            await service.SignInAsync("hamza", $"guess{i}", CancellationToken.None);
        }

        // Act
        var stranger = await service.SignInAsync("hamza", Password, CancellationToken.None);
        var fromTheDevice = await service.SignInAsync("hamza", Password, owner, CancellationToken.None);

        // Assert
        Assert.Equal(SignInOutcome.LockedOut, stranger.Outcome);
        Assert.Equal(SignInOutcome.Succeeded, fromTheDevice.Outcome);
        Assert.Equal("Hamza", fromTheDevice.UserName);
        Assert.True((await _database.ReadUserAsync("hamza")).LockoutEndUtcTicks > _time.GetUtcNow().UtcTicks, "strangers stay locked out");
    }

    [Fact]
    public async Task SignInAsync_StrangerSpentTheThrottle_TheOwnersDeviceIsNotThrottled()
    {
        // Arrange
        using var service = CreateService(new AccountOptions { SignInsPerMinutePerUser = 3, MaxFailedSignIns = 100 });
        var owner = new DeviceToken((await _database.ReadUserAsync("hamza")).Id, "owner-device");
        for (var i = 0; i < 3; i++)
        {
            await service.SignInAsync("hamza", $"guess{i}", CancellationToken.None);
        }

        // Act
        var stranger = await service.SignInAsync("hamza", Password, CancellationToken.None);
        var fromTheDevice = await service.SignInAsync("hamza", Password, owner, CancellationToken.None);

        // Assert
        Assert.Equal(SignInOutcome.Throttled, stranger.Outcome);
        Assert.Equal(SignInOutcome.Succeeded, fromTheDevice.Outcome);
    }

    [Fact]
    public async Task SignInAsync_WrongPasswordsFromADevice_LockThatDeviceOnlyUntilTheLockoutEnds()
    {
        // Arrange
        var service = CreateService();
        var id = (await _database.ReadUserAsync("hamza")).Id;
        var guesser = new DeviceToken(id, "stolen-device");
        List<SignInOutcome> wrong = [];

        // Act
        for (var i = 0; i < 5; i++)
        {
            wrong.Add((await service.SignInAsync("hamza", $"guess{i}", guesser, CancellationToken.None)).Outcome);
        }

        var rightFromTheLockedDevice = await service.SignInAsync("hamza", Password, guesser, CancellationToken.None);
        var rightFromAnotherDevice = await service.SignInAsync("hamza", Password, new DeviceToken(id, "other-device"), CancellationToken.None);
        var rightWithoutADevice = await service.SignInAsync("hamza", Password, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(5));
        var rightFromTheDeviceLater = await service.SignInAsync("hamza", Password, guesser, CancellationToken.None);

        // Assert
        Assert.Equal(
            [SignInOutcome.WrongCredentials, SignInOutcome.WrongCredentials, SignInOutcome.WrongCredentials, SignInOutcome.WrongCredentials, SignInOutcome.LockedOut],
            wrong);
        Assert.Equal(new SignInResult(SignInOutcome.LockedOut), rightFromTheLockedDevice);
        Assert.Equal(SignInOutcome.Succeeded, rightFromAnotherDevice.Outcome);
        Assert.Equal(SignInOutcome.Succeeded, rightWithoutADevice.Outcome);
        Assert.Equal(SignInOutcome.Succeeded, rightFromTheDeviceLater.Outcome);
        Assert.Equal(0, (await _database.ReadUserAsync("hamza")).FailedSignInCount);
    }

    [Fact]
    public async Task SignInAsync_DeviceOfAnotherAccount_CountsAsNone()
    {
        // Arrange
        await _database.AddUserAsync("karam", _hasher.HashPassword(null!, "naveed"));
        var service = CreateService();
        var hamzasDevice = new DeviceToken((await _database.ReadUserAsync("hamza")).Id, "hamza-device");
        for (var i = 0; i < 5; i++)
        {
            await service.SignInAsync("karam", $"guess{i}", CancellationToken.None);
        }

        // Act
        var result = await service.SignInAsync("karam", "naveed", hamzasDevice, CancellationToken.None);

        // Assert
        Assert.Equal(new SignInResult(SignInOutcome.LockedOut), result);
    }

    // The per-username throttle is tested on its own below; lockout tests keep it out of the way.
    private SignInService CreateService(AccountOptions? options = null, PasswordHasher<UserAccount>? hasher = null) =>
        new(_database.Factory, hasher ?? _hasher, Options.Create(options ?? new AccountOptions { SignInsPerMinutePerUser = 1000 }), _time, NullLogger<SignInService>.Instance);

    [Fact]
    public async Task SignInAsync_MoreAttemptsThanTheLimitPerMinute_AreThrottledWithoutHashing()
    {
        // Arrange
        var hasher = new CountingHasher();
        await _database.AddUserAsync("karam", hasher.HashPassword(null!, "naveed"));
        using var service = CreateService(new AccountOptions { SignInsPerMinutePerUser = 3 }, hasher);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(SignInOutcome.WrongCredentials, (await service.SignInAsync("karam", $"guess{i}", CancellationToken.None)).Outcome);
        }

        var hashesBefore = hasher.Verifications;

        // Act
        var rightPassword = await service.SignInAsync("KARAM", "naveed", CancellationToken.None);
        var unknownName = await service.SignInAsync("nobody", "x", CancellationToken.None);

        // Assert
        Assert.Equal(SignInOutcome.Throttled, rightPassword.Outcome);
        Assert.Equal(hashesBefore + 1, hasher.Verifications);
        Assert.Equal(SignInOutcome.WrongCredentials, unknownName.Outcome);
    }

    [Fact]
    public async Task SignInAsync_ThrottleCountsUnknownNamesTheSameWay()
    {
        // Arrange
        using var service = CreateService(new AccountOptions { SignInsPerMinutePerUser = 2 });
        await service.SignInAsync("ghost", "a", CancellationToken.None);
        await service.SignInAsync("ghost", "b", CancellationToken.None);

        // Act
        var third = await service.SignInAsync("Ghost", "c", CancellationToken.None);

        // Assert
        Assert.Equal(SignInOutcome.Throttled, third.Outcome);
    }

    [Fact]
    public async Task SignInAsync_UnknownNameWrongPasswordAndLockedAccount_EachCostExactlyOneHash()
    {
        // Arrange: equal work is what makes their timing alike, so an attacker cannot tell them apart.
        var hasher = new CountingHasher();
        await _database.AddUserAsync("karam", hasher.HashPassword(null!, "naveed"));
        await _database.AddUserAsync("zara", hasher.HashPassword(null!, "open, sesame"));
        var service = CreateService(hasher: hasher);
        for (var i = 0; i < 5; i++)
        {
            await service.SignInAsync("zara", $"guess{i}", CancellationToken.None);
        }

        // Act
        var costs = new List<(SignInOutcome Outcome, int Hashes)>();
        foreach (var (name, password) in new[] { ("nobody", "x"), ("karam", "wrong"), ("zara", "open, sesame") })
        {
            var before = hasher.Verifications;
            var result = await service.SignInAsync(name, password, CancellationToken.None);
            costs.Add((result.Outcome, hasher.Verifications - before));
        }

        // Assert
        Assert.Equal(
            [(SignInOutcome.WrongCredentials, 1), (SignInOutcome.WrongCredentials, 1), (SignInOutcome.LockedOut, 1)],
            costs);
    }

    [Fact]
    public async Task SignInAsync_PasswordOver1024Characters_IsRefusedWithoutHashing()
    {
        // Arrange
        var hasher = new CountingHasher();
        await _database.AddUserAsync("hira", hasher.HashPassword(null!, "najeeb"));
        var service = CreateService(hasher: hasher);
        var before = hasher.Verifications;

        // Act
        var result = await service.SignInAsync("hira", new string('p', 1025), CancellationToken.None);

        // Assert
        Assert.Equal(SignInOutcome.WrongCredentials, result.Outcome);
        Assert.Equal(before, hasher.Verifications);
    }

    /// <summary>The real hasher (few iterations), counting how often a password is checked.</summary>
    private sealed class CountingHasher() : PasswordHasher<UserAccount>(Options.Create(new PasswordHasherOptions { IterationCount = 1000 }))
    {
        private int _verifications;

        public int Verifications => Volatile.Read(ref _verifications);

        public override PasswordVerificationResult VerifyHashedPassword(UserAccount user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return base.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}
