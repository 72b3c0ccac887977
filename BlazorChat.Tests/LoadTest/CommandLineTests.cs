using LoadTestProgram = BlazorChat.LoadTest.Program;

namespace BlazorChat.Tests.LoadTest;

public sealed class CommandLineTests
{
    [Fact]
    public void Number_GivenOrNot_IsTheValueOrTheFallback()
    {
        Assert.Equal(1000, LoadTestProgram.Number(new Dictionary<string, string> { ["hub-rate"] = "1000" }, "hub-rate", 500));
        Assert.Equal(500, LoadTestProgram.Number(new Dictionary<string, string>(), "hub-rate", 500));
        Assert.Equal(0, LoadTestProgram.Number(new Dictionary<string, string> { ["interval"] = "0" }, "interval", 100, least: 0));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("fast")]
    [InlineData("1.5")]
    public void Number_NotAWholeNumberOfAtLeastItsLeast_IsAnErrorNamingTheOption(string text)
    {
        var error = Assert.Throws<FormatException>(() => LoadTestProgram.Number(new Dictionary<string, string> { ["hub-rate"] = text }, "hub-rate", 500));

        Assert.Equal($"--hub-rate must be a whole number of at least 1, not \"{text}\".", error.Message);
    }

    [Fact]
    public async Task Main_ABadHubRate_ExitsWithUsageCodeBeforeStartingAnything()
    {
        var started = DateTime.UtcNow;

        var code = await LoadTestProgram.Main(["--scenario", "hub", "--hub-rate", "0"]);

        Assert.Equal(2, code);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20), "it should not have published and started the app");
    }
}
