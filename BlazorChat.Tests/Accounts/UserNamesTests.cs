using BlazorChat.Accounts;
using BlazorChat.Chat;
using BlazorChat.Data;
using BlazorChat.Tests.Chat;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BlazorChat.Tests.Accounts;

/// <summary>One rule for which names are the same account, and every place that compares names follows it.</summary>
public sealed class UserNamesTests
{
    [Theory]
    [InlineData("ruſhna", "rushna")] // ſ long s
    [InlineData("\u212Aaram", "karam")] // K Kelvin sign
    [InlineData("ｈａｍｚａ", "hamza")] // fullwidth letters
    [InlineData("ＨＡＭＺＡ", "Hamza")]
    [InlineData("zoe\u0308", "zo\u00EB")] // NFD and NFC of zoë
    [InlineData("ﬁza", "fiza")] // ligature
    [InlineData("HIRA", "hira")]
    public void Comparer_CompatibilityCaseAndCompositionVariants_AreTheSameName(string typed, string stored)
    {
        Assert.True(UserNames.Comparer.Equals(typed, stored));
        Assert.Equal(UserNames.Comparer.GetHashCode(stored), UserNames.Comparer.GetHashCode(typed));
        Assert.Equal(UserNames.Normalize(stored), UserNames.Normalize(typed));
    }

    [Theory]
    [InlineData("hamzа", "hamza")] // Cyrillic а: another script, another name
    [InlineData("straße", "strasse")]
    [InlineData("ıra", "ira")] // Turkish dotless ı is a letter of its own
    [InlineData("hamza1", "hamza")]
    public void Comparer_DifferentLetters_AreDifferentNames(string one, string other)
    {
        Assert.False(UserNames.Comparer.Equals(one, other));
        Assert.NotEqual(UserNames.Normalize(one), UserNames.Normalize(other));
    }

    [Fact]
    public void Normalize_InvalidUtf16_DoesNotThrow()
    {
        Assert.Equal("A\uD800", UserNames.Normalize("a\uD800"));
    }

    [Fact]
    public void Directory_LongS_FindsTheStoredName()
    {
        var directory = new AccountDirectory(RouterFixture.DefaultUsers);

        Assert.True(directory.TryGetUserName("ruſhna", out var found));
        Assert.Equal("rushna", found);
    }

    [Fact]
    public void Pick_NameWithLongSOrFullwidth_PicksTheAccount()
    {
        var fixture = new RouterFixture();
        var (hamza, _) = fixture.Connect("ｈａｍｚａ");
        var (rushna, _) = fixture.Connect("rushna");

        var waiting = hamza.Pick("ruſhna");
        var paired = rushna.Pick("HAMZA");

        Assert.Equal("hamza", hamza.UserName);
        Assert.Equal(PickResult.Waiting, waiting);
        Assert.Equal(PickResult.Paired, paired);
        Assert.Equal("rushna", hamza.GetSnapshot().Conversation?.Partner);
    }

    [Theory]
    [InlineData("rushna", "ruſhna")]
    [InlineData("zara", "ｚａｒａ")]
    [InlineData("Karam", "\u212Aaram")]
    public void SeedFile_TwoSpellingsOfOneName_IsRefusedNamingTheLines(string first, string second)
    {
        var error = Assert.Throws<SeedFileException>(() => SeedUserCsv.Parse($"username,password\n{first},a\n{second},b\n", "seed.csv"));

        Assert.Contains($"line 3: username '{second}' repeats line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_LongSFullwidthOrDecomposed_SignsInAsTheStoredName()
    {
        await using var database = await AccountsTestDatabase.CreateAsync();
        var hasher = AccountsTestDatabase.CreateFastHasher();
        await database.AddUserAsync("rushna", hasher.HashPassword(null!, "shah"));
        await database.AddUserAsync("zoë", hasher.HashPassword(null!, "pw"));
        using var service = new SignInService(database.Factory, hasher, Options.Create(new AccountOptions()), new FakeTimeProvider(), NullLogger<SignInService>.Instance);

        List<string> results = [];
        foreach (var (typed, password) in new[] { ("ruſhna", "shah"), ("ｒｕｓｈｎａ", "shah"), ("zoe\u0308", "pw") })
        {
            results.Add((await service.SignInAsync(typed, password, CancellationToken.None)).UserName);
        }

        Assert.Equal(["rushna", "rushna", "zoë"], results);
    }

    [Fact]
    public async Task Renormalize_RowsStoredUnderTheOldRule_AreFoundAgain()
    {
        // Arrange: the old rule only upper-cased, so a fullwidth name kept its width.
        await using var database = await AccountsTestDatabase.CreateAsync();
        var hasher = AccountsTestDatabase.CreateFastHasher();
        await using (var db = await database.Factory.CreateDbContextAsync())
        {
            db.Users.Add(new UserAccount { UserName = "ｚａｒａ", NormalizedUserName = "ＺＡＲＡ", PasswordHash = hasher.HashPassword(null!, "pw") });
            db.Users.Add(new UserAccount { UserName = "hira", NormalizedUserName = "HIRA", PasswordHash = hasher.HashPassword(null!, "pw") });
            await db.SaveChangesAsync();
        }

        // Act
        var changed = await database.CreateSeeder(hasher).RenormalizeAsync(CancellationToken.None);

        // Assert
        Assert.Equal(1, changed);
        Assert.Equal(["ZARA", "HIRA"], (await database.ReadUsersAsync()).Select(u => u.NormalizedUserName));
        using var service = new SignInService(database.Factory, hasher, Options.Create(new AccountOptions()), new FakeTimeProvider(), NullLogger<SignInService>.Instance);
        Assert.Equal("ｚａｒａ", (await service.SignInAsync("zara", "pw", CancellationToken.None)).UserName);
    }

    [Fact]
    public async Task Renormalize_TwoRowsNowTheSameName_StopsStartUpNamingBoth()
    {
        await using var database = await AccountsTestDatabase.CreateAsync();
        await using (var db = await database.Factory.CreateDbContextAsync())
        {
            db.Users.Add(new UserAccount { UserName = "Karam", NormalizedUserName = "KARAM", PasswordHash = "x" });
            db.Users.Add(new UserAccount { UserName = "\u212Aaram", NormalizedUserName = "\u212AARAM", PasswordHash = "x" });
            await db.SaveChangesAsync();
        }

        var error = await Assert.ThrowsAsync<UserNameConflictException>(
            () => database.CreateSeeder(new PasswordHasher<UserAccount>()).RenormalizeAsync(CancellationToken.None));

        Assert.Contains("'Karam' (id 1) and '\u212Aaram' (id 2)", error.Message, StringComparison.Ordinal);
        Assert.Equal(["KARAM", "\u212AARAM"], (await database.ReadUsersAsync()).Select(u => u.NormalizedUserName));
    }
}
