using BlazorChat.Accounts;

namespace BlazorChat.Tests.Accounts;

public sealed class SeedUserCsvTests
{
    private const string Source = "seed-users.csv";

    [Fact]
    public void Parse_GoodFile_ReturnsEveryUserWithItsLine()
    {
        // Arrange
        var content = "username,password\nhamza,123\nkaram,naveed\nhira,najeeb\n";

        // Act
        var users = SeedUserCsv.Parse(content, Source);

        // Assert
        Assert.Equal(
            [new SeedUser(2, "hamza", "123"), new SeedUser(3, "karam", "naveed"), new SeedUser(4, "hira", "najeeb")],
            users);
    }

    [Fact]
    public void Parse_FileWithoutFinalLineBreak_ReturnsLastUser()
    {
        // Arrange
        var content = "username,password\nhamza,123\nkaram,naveed";

        // Act
        var users = SeedUserCsv.Parse(content, Source);

        // Assert
        Assert.Equal(new SeedUser(3, "karam", "naveed"), users[^1]);
    }

    [Fact]
    public void Parse_Utf8Bom_IsIgnored()
    {
        // Arrange
        var content = "\uFEFFusername,password\nhamza,123\n";

        // Act
        var users = SeedUserCsv.Parse(content, Source);

        // Assert
        Assert.Equal([new SeedUser(2, "hamza", "123")], users);
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    [InlineData("\r")]
    public void Parse_LineEnding_SplitsRecordsAndKeepsNoLineBreakInPasswords(string newLine)
    {
        // Arrange
        var content = string.Join(newLine, "username,password", "hamza,123", "karam,naveed") + newLine;

        // Act
        var users = SeedUserCsv.Parse(content, Source);

        // Assert
        Assert.Equal([new SeedUser(2, "hamza", "123"), new SeedUser(3, "karam", "naveed")], users);
    }

    [Fact]
    public void Parse_BlankLines_AreSkippedButCounted()
    {
        // Arrange
        var content = "\nusername,password\n\nhamza,123\n   \n\r\nkaram,naveed\n\n";

        // Act
        var users = SeedUserCsv.Parse(content, Source);

        // Assert
        Assert.Equal([new SeedUser(4, "hamza", "123"), new SeedUser(7, "karam", "naveed")], users);
    }

    [Fact]
    public void Parse_QuotedPasswordWithComma_KeepsTheComma()
    {
        // Arrange
        var content = "username,password\nzara,\"open, sesame\"\n";

        // Act
        var users = SeedUserCsv.Parse(content, Source);

        // Assert
        Assert.Equal("open, sesame", Assert.Single(users).Password);
    }

    [Fact]
    public void Parse_DoubledQuotesInsideQuotes_BecomeOneQuote()
    {
        // Arrange
        var content = "username,password\nzara,\"say \"\"hi\"\", then \"\"bye\"\"\"\n";

        // Act
        var users = SeedUserCsv.Parse(content, Source);

        // Assert
        Assert.Equal("say \"hi\", then \"bye\"", Assert.Single(users).Password);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void Parse_LineBreakInsideQuotedPassword_IsPartOfThePassword(string newLine)
    {
        // Arrange
        var content = $"username,password{newLine}zara,\"first{newLine}second\"{newLine}";

        // Act
        var users = SeedUserCsv.Parse(content, Source);

        // Assert
        Assert.Equal(new SeedUser(2, "zara", $"first{newLine}second"), Assert.Single(users));
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void Parse_AfterQuotedFieldWithLineBreaks_CountsLinesCorrectly(string newLine)
    {
        // Arrange: the quoted password spans lines 3-5, so karam is on line 6 and the bad row on line 7.
        var content = string.Join(newLine, "username,password", "hamza,123", "zara,\"a", "b", "c\"", "karam,naveed", "bad row", "");

        // Act
        var error = Assert.Throws<SeedFileException>(() => SeedUserCsv.Parse(content, Source));

        // Assert
        Assert.Contains("line 7: expected 2 fields", error.Message);
        Assert.Contains("1 problem(s)", error.Message);
    }

    [Fact]
    public void Parse_AfterQuotedFieldWithLineBreaks_GivesFollowingUsersTheirLine()
    {
        // Arrange
        var content = "username,password\nzara,\"a\nb\r\nc\"\nkaram,naveed\n";

        // Act
        var users = SeedUserCsv.Parse(content, Source);

        // Assert
        Assert.Equal([new SeedUser(2, "zara", "a\nb\r\nc"), new SeedUser(5, "karam", "naveed")], users);
    }

    [Fact]
    public void Parse_MissingHeader_ThrowsNamingLineOne()
    {
        // Arrange
        var content = "hamza,123\nkaram,naveed\n";

        // Act
        var error = Assert.Throws<SeedFileException>(() => SeedUserCsv.Parse(content, Source));

        // Assert
        Assert.Contains($"{Source} line 1: the first line must be the header 'username,password'", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    public void Parse_EmptyFile_Throws(string content)
    {
        // Act
        var error = Assert.Throws<SeedFileException>(() => SeedUserCsv.Parse(content, Source));

        // Assert
        Assert.Contains("line 1: the file is empty", error.Message);
    }

    [Theory]
    [InlineData("USERNAME,PASSWORD")]
    [InlineData("UserName,Password")]
    [InlineData(" username , password ")]
    public void Parse_HeaderInOtherCaseOrSpaced_IsAccepted(string header)
    {
        // Arrange
        var content = $"{header}\nhamza,123\n";

        // Act
        var users = SeedUserCsv.Parse(content, Source);

        // Assert
        Assert.Equal([new SeedUser(2, "hamza", "123")], users);
    }

    [Fact]
    public void Parse_RowsWithOneAndThreeFields_ThrowNamingEachLine()
    {
        // Arrange
        var content = "username,password\nhamza,123\nkaram\nhira,najeeb,extra\n";

        // Act
        var error = Assert.Throws<SeedFileException>(() => SeedUserCsv.Parse(content, Source));

        // Assert
        Assert.Contains("line 3: expected 2 fields (username,password) but found 1", error.Message);
        Assert.Contains("line 4: expected 2 fields (username,password) but found 3", error.Message);
        Assert.Contains("2 problem(s); no account was imported", error.Message);
    }

    [Theory]
    [InlineData("hamza,")]
    [InlineData("hamza,\"\"")]
    public void Parse_EmptyPassword_Throws(string row)
    {
        // Arrange
        var content = $"username,password\n{row}\n";

        // Act
        var error = Assert.Throws<SeedFileException>(() => SeedUserCsv.Parse(content, Source));

        // Assert
        Assert.Contains("line 2: the password is empty", error.Message);
    }

    [Theory]
    [InlineData("ham za")]
    [InlineData("ham@za")]
    [InlineData("hamza!")]
    [InlineData(" hamza")]
    [InlineData("ham/za")]
    public void Parse_UsernameWithForbiddenCharacter_Throws(string userName)
    {
        // Arrange
        var content = $"username,password\n{userName},123\n";

        // Act
        var error = Assert.Throws<SeedFileException>(() => SeedUserCsv.Parse(content, Source));

        // Assert
        Assert.Contains($"line 2: username '{userName}' is not allowed", error.Message);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void Parse_QuotedUsernameEndingInLineBreak_Throws(string newLine)
    {
        // Arrange: a username that would look like "hamza" in the user list but never match at sign-in.
        var content = $"username,password\n\"hamza{newLine}\",123\n";

        // Act
        var error = Assert.Throws<SeedFileException>(() => SeedUserCsv.Parse(content, Source));

        // Assert
        Assert.Contains("line 2: username 'hamza?", error.Message);
        Assert.Contains("is not allowed", error.Message);
    }

    [Fact]
    public void Parse_UsernameOfAllowedKinds_IsAccepted()
    {
        // Arrange
        var thirtyTwo = new string('a', 32);
        var content = $"username,password\nHamza.K_2-x,1\nzoë,2\n{thirtyTwo},3\n";

        // Act
        var users = SeedUserCsv.Parse(content, Source);

        // Assert
        Assert.Equal(["Hamza.K_2-x", "zoë", thirtyTwo], users.Select(u => u.UserName));
    }

    [Fact]
    public void Parse_UsernameOf33Characters_Throws()
    {
        // Arrange
        var userName = new string('a', 33);
        var content = $"username,password\n{userName},123\n";

        // Act
        var error = Assert.Throws<SeedFileException>(() => SeedUserCsv.Parse(content, Source));

        // Assert
        Assert.Contains("line 2: username 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' is not allowed", error.Message);
    }

    [Fact]
    public void Parse_DuplicateUsernameDifferingOnlyByCase_ThrowsNamingBothLines()
    {
        // Arrange
        var content = "username,password\nhamza,123\nkaram,naveed\nHAMZA,456\n";

        // Act
        var error = Assert.Throws<SeedFileException>(() => SeedUserCsv.Parse(content, Source));

        // Assert
        Assert.Contains("line 4: username 'HAMZA' repeats line 2", error.Message);
        Assert.Contains("1 problem(s)", error.Message);
    }

    [Fact]
    public void Parse_UnterminatedQuote_ThrowsNamingTheLineItOpens()
    {
        // Arrange
        var content = "username,password\nhamza,123\nzara,\"open\nkaram,naveed\n";

        // Act
        var error = Assert.Throws<SeedFileException>(() => SeedUserCsv.Parse(content, Source));

        // Assert
        Assert.Contains("line 3: a quoted field is never closed", error.Message);
    }

    [Fact]
    public void Parse_QuoteInsideUnquotedField_Throws()
    {
        // Arrange
        var content = "username,password\nhamza,12\"3\n";

        // Act
        var error = Assert.Throws<SeedFileException>(() => SeedUserCsv.Parse(content, Source));

        // Assert
        Assert.Contains("line 2: a quote inside an unquoted field", error.Message);
    }

    [Fact]
    public void Parse_TextAfterClosingQuote_Throws()
    {
        // Arrange
        var content = "username,password\nhamza,\"12\"3\n";

        // Act
        var error = Assert.Throws<SeedFileException>(() => SeedUserCsv.Parse(content, Source));

        // Assert
        Assert.Contains("line 2: unexpected text after a closing quote", error.Message);
    }

    [Fact]
    public void Parse_PasswordOf1024Characters_IsAccepted()
    {
        // Arrange
        var password = new string('p', SeedUserCsv.MaxPasswordLength);
        var content = $"username,password\nhamza,{password}\n";

        // Act
        var users = SeedUserCsv.Parse(content, Source);

        // Assert
        Assert.Equal(password, Assert.Single(users).Password);
    }

    [Fact]
    public void Parse_PasswordOver1024Characters_Throws()
    {
        // Arrange
        var content = $"username,password\nhamza,{new string('p', SeedUserCsv.MaxPasswordLength + 1)}\n";

        // Act
        var error = Assert.Throws<SeedFileException>(() => SeedUserCsv.Parse(content, Source));

        // Assert
        Assert.Contains("line 2: the password is longer than 1024 characters", error.Message);
    }

    [Fact]
    public void Parse_SeveralBadLines_ReportsEveryProblem()
    {
        // Arrange
        var content = string.Join(
            "\n",
            "username,password",
            "hamza,123",
            "bad name,1",
            "karam,",
            "HAMZA,2",
            "only-one-field",
            "hira,a\"b",
            "");

        // Act
        var error = Assert.Throws<SeedFileException>(() => SeedUserCsv.Parse(content, Source));

        // Assert
        Assert.Contains("5 problem(s); no account was imported", error.Message);
        Assert.Contains($"{Source} line 3: username 'bad name' is not allowed", error.Message);
        Assert.Contains($"{Source} line 4: the password is empty", error.Message);
        Assert.Contains($"{Source} line 5: username 'HAMZA' repeats line 2", error.Message);
        Assert.Contains($"{Source} line 6: expected 2 fields", error.Message);
        Assert.Contains($"{Source} line 7: a quote inside an unquoted field", error.Message);
    }

    [Fact]
    public void Parse_MoreThanTwentyProblems_ShowsTwentyAndCountsTheRest()
    {
        // Arrange
        var rows = Enumerable.Range(0, 25).Select(i => $"user{i},");
        var content = "username,password\n" + string.Join("\n", rows);

        // Act
        var error = Assert.Throws<SeedFileException>(() => SeedUserCsv.Parse(content, Source));

        // Assert
        Assert.Contains("25 problem(s)", error.Message);
        Assert.Contains("line 21: the password is empty", error.Message);
        Assert.DoesNotContain("line 22:", error.Message);
        Assert.Contains("… and 5 more", error.Message);
    }

    [Theory]
    [InlineData("hamza, pw ", " pw ")]
    [InlineData("hamza,\" pw \"", " pw ")]
    [InlineData("hamza,\tpw\t", "\tpw\t")]
    public void Parse_PasswordWithSurroundingWhitespace_IsNotTrimmed(string row, string expected)
    {
        // Arrange
        var content = $"username,password\n{row}\n";

        // Act
        var users = SeedUserCsv.Parse(content, Source);

        // Assert
        Assert.Equal(expected, Assert.Single(users).Password);
    }

    [Theory]
    [InlineData(';')]
    [InlineData('\t')]
    public void Parse_OtherSeparator_ThrowsNamingTheHeaderAndEveryRow(char separator)
    {
        // Arrange
        var content = $"username{separator}password\nhamza{separator}123\n";

        // Act
        var error = Assert.Throws<SeedFileException>(() => SeedUserCsv.Parse(content, Source));

        // Assert
        Assert.Contains("line 1: the first line must be the header 'username,password'", error.Message);
        Assert.Contains("line 2: expected 2 fields (username,password) but found 1", error.Message);
    }
}
