using System.Text.Json.Nodes;
using BlazorChat.LoadTest.Ladder;

namespace BlazorChat.Tests.LoadTest;

public sealed class WaitHistogramTests
{
    [Fact]
    public void Since_AnEarlierReading_GivesTheWaitsBetweenThemAndTheirPercentiles()
    {
        var earlier = WaitHistogram.Parse(JsonNode.Parse("""[{"upToMicroseconds":32,"count":5},{"upToMicroseconds":45.255,"count":1}]"""))!;
        var later = WaitHistogram.Parse(JsonNode.Parse("""
            [{"upToMicroseconds":32,"count":5},{"upToMicroseconds":38.055,"count":60},{"upToMicroseconds":45.255,"count":40},{"upToMicroseconds":4096,"count":1}]
            """))!;

        var between = later.Since(earlier);

        Assert.Equal(100, between.Count);
        Assert.Equal(38.055, between.PercentileMicroseconds(50));
        Assert.Equal(38.055, between.PercentileMicroseconds(60));
        Assert.Equal(45.255, between.PercentileMicroseconds(61));
        Assert.Equal(45.255, between.PercentileMicroseconds(99));
        Assert.Equal(4096, between.PercentileMicroseconds(100));
        Assert.Equal(200, between.Plus(between).Count);
        Assert.True(double.IsNaN(earlier.Since(earlier).PercentileMicroseconds(50)));
    }

    [Fact]
    public void Parse_AServerWithoutTheFigure_IsNull() =>
        Assert.Null(WaitHistogram.Parse(JsonNode.Parse("""{"process":{}}""")!["deliveryWait"]));
}
