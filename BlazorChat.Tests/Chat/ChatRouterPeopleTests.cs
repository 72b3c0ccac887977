using BlazorChat.Chat;

namespace BlazorChat.Tests.Chat;

/// <summary>The people list at campus scale: a crowd changing status costs a busy tab one notice, not one per change.</summary>
public sealed class ChatRouterPeopleTests
{
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
