using BlazorChat.Chat;

namespace BlazorChat.Tests.Chat;

/// <summary>The router's lock is never held while subscriber code runs.</summary>
public sealed class ChatRouterLockTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Send_SubscriberBlockingItsThread_DoesNotStopTheRouterForAnyoneElse()
    {
        var fixture = new RouterFixture();
        var pair = await fixture.PairAsync("hamza", "karam");
        using ManualResetEventSlim release = new();
        TaskCompletionSource entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        TaskCompletionSource caughtUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
        List<string> blockedTabGot = [];
        // A tab whose handler blocks its thread (not an awaited task): if the router called it while holding
        // its lock, every other call into the router would wait behind it.
        fixture.Router.Connect("karam", chatEvent =>
        {
            if (chatEvent is MessageReceived received)
            {
                blockedTabGot.Add(received.Message.Text);
                if (blockedTabGot.Count == 2)
                {
                    caughtUp.TrySetResult();
                }

                entered.TrySetResult();
                release.Wait();
            }

            return Task.CompletedTask;
        });

        try
        {
            Assert.Equal(SendStatus.Delivered, (await Task.Run(() => pair.A.Send("first")).WaitAsync(Timeout)).Status);
            await entered.Task.WaitAsync(Timeout);

            // While that handler is stuck: another pair forms and chats, and the same pair goes on too.
            var other = await Task.Run(() => fixture.PairAsync("hira", "rushna")).WaitAsync(Timeout);
            Assert.Equal(SendStatus.Delivered, (await Task.Run(() => other.A.Send("elsewhere")).WaitAsync(Timeout)).Status);
            Assert.Equal("elsewhere", (await other.BEvents.WaitForMessagesAsync(1, Timeout)).Single().Text);
            Assert.Equal(SendStatus.Delivered, (await Task.Run(() => pair.A.Send("second")).WaitAsync(Timeout)).Status);
            Assert.Equal(["first", "second"], (await pair.BEvents.WaitForMessagesAsync(2, Timeout)).Select(m => m.Text));
            Assert.Empty(await Task.Run(fixture.Router.FindInvariantViolations).WaitAsync(Timeout));
        }
        finally
        {
            release.Set();
        }

        // The stuck tab itself then gets what it missed, in order.
        await caughtUp.Task.WaitAsync(Timeout);
        Assert.Equal(["first", "second"], blockedTabGot);
    }
}
