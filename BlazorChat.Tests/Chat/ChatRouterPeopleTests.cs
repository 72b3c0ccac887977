using BlazorChat.Chat;

namespace BlazorChat.Tests.Chat;

/// <summary>
/// The people list: each person's status as they pick, chat and leave, and at campus scale, where a crowd changing
/// status costs a busy tab one notice, not one per change.
/// </summary>
public sealed class ChatRouterPeopleTests
{
    private readonly RouterFixture _fixture = new();

    [Fact]
    public async Task Presence_FollowsOnlineWaitingInChatAndOffline()
    {
        var (hira, hiraEvents) = _fixture.Connect("hira");
        var (hamza, _) = _fixture.Connect("hamza");
        var (karam, _) = _fixture.Connect("karam");

        Assert.Equal([new("hamza", PresenceStatus.Online), new("karam", PresenceStatus.Online)], hira.FindPeople(null, 2).People);
        hamza.Pick("karam");
        Assert.Equal([new("hamza", PresenceStatus.Waiting), new("karam", PresenceStatus.Online)], hira.FindPeople(null, 2).People);
        karam.Pick("hamza");
        Assert.Equal([new("hamza", PresenceStatus.InChat), new("karam", PresenceStatus.InChat)], hira.FindPeople(null, 2).People);
        await RouterFixture.UntilIdleAsync(hira);
        var seen = hiraEvents.Count;
        hamza.Dispose();
        PersonStatus[] afterHamzaLeft = [new("karam", PresenceStatus.Online), new("hamza", PresenceStatus.Offline)];
        Assert.Equal(afterHamzaLeft, hira.FindPeople(null, 2).People);
        await hiraEvents.WaitForAsync<PeopleChanged>(since: seen); // told, so the list reads it again
    }

    [Theory]
    [InlineData("ruſ", "rushna")]            // long s, as a German or old-style keyboard layout gives it
    [InlineData("ＨＡＭ", "hamza")]           // fullwidth, as a Japanese or Chinese input method gives it
    [InlineData("HASS", "hassaan")]
    [InlineData("ｚａｒａ", "zara")]
    public void FindPeople_AFilterInAnotherFormOfTheLetters_FindsTheName(string filter, string expected)
    {
        var (hira, _) = _fixture.Connect("hira");

        var page = hira.FindPeople(filter, 10);

        Assert.Equal([new(expected, PresenceStatus.Offline)], page.People);
        Assert.Equal(1, page.Matches);
    }

    [Fact]
    public void FindPeople_ANameInAnotherFormOfTheLetters_IsFoundByThePlainLetters()
    {
        var fixture = new RouterFixture(users: ["viewer", "ｈａｍｚａ", "karam"]);
        var (viewer, _) = fixture.Connect("viewer");

        Assert.Equal([new("ｈａｍｚａ", PresenceStatus.Offline)], viewer.FindPeople("amz", 10).People);
        Assert.Empty(viewer.FindPeople("ſ", 10).People); // no name has an s
    }

    [Fact]
    public async Task PresenceChanges_WhileATabIsBusy_LeaveOneQueuedPeopleChangedNotOnePerChange()
    {
        string[] campus = ["viewer", .. Enumerable.Range(0, 50).Select(i => $"person{i:00}")];
        var fixture = new RouterFixture(users: campus);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var requested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var peopleChangedBeforeRequest = 0;
        using var viewer = fixture.Router.Connect("viewer", async chatEvent =>
        {
            switch (chatEvent)
            {
                case PeopleChanged:
                    peopleChangedBeforeRequest++;
                    await gate.Task; // the tab is busy until released
                    break;
                case ChatRequestReceived:
                    requested.TrySetResult();
                    break;
            }
        });

        // The first arrival's notice holds the tab up; 49 more people and a pick arrive meanwhile.
        List<ChatConnection> crowd = [.. Enumerable.Range(0, 50).Select(i => fixture.Router.Connect($"person{i:00}", static _ => Task.CompletedTask))];
        crowd[0].Pick("viewer"); // a request, queued after whatever people notices are waiting
        gate.SetResult();
        await requested.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // One notice if the tab had not started on the first when the rest came, two if it had; without the
        // coalescing it would be one per arrival and pick (51).
        Assert.InRange(peopleChangedBeforeRequest, 1, 2);
        Assert.Equal(50, viewer.FindPeople(null, 100).People.Count(p => p.Status != PresenceStatus.Offline));
        crowd.ForEach(c => c.Dispose());
    }
}
