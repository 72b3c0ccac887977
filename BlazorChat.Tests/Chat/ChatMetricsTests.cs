using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using BlazorChat.Chat;

namespace BlazorChat.Tests.Chat;

public sealed class ChatMetricsTests
{
    [Fact]
    public async Task DeliveryWait_IsHowLongAnEventWaitedForItsTab_OneMeasurementPerEventDelivered()
    {
        var fixture = new RouterFixture();
        ConcurrentQueue<double> waits = new();
        using var listener = ListenToDeliveryWait(fixture, waits);
        var hamza = fixture.Connect("hamza");
        EventRecorder karamEvents = new();
        TaskCompletionSource busy = new(TaskCreationOptions.RunContinuationsAsynchronously);
        TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        // Karam's tab is still handling "first" when "second" is queued for it.
        using var karam = fixture.Router.Connect("karam", async chatEvent =>
        {
            if (chatEvent is MessageReceived { Message.Text: "first" })
            {
                busy.TrySetResult();
                await release.Task;
            }

            await karamEvents.Handle(chatEvent);
        });
        hamza.Connection.Pick("karam");
        karam.Pick("hamza");
        await karamEvents.WaitForAsync<ChatStarted>();
        await hamza.Events.WaitForAsync<ChatStarted>();

        hamza.Connection.Send("first");
        await busy.Task.WaitAsync(TimeSpan.FromSeconds(10));
        hamza.Connection.Send("second");
        await hamza.Events.WaitForAsync<MessageReceived>(m => m.Message.Text == "second");
        fixture.Time.Advance(TimeSpan.FromSeconds(3));
        release.SetResult();
        await karamEvents.WaitForAsync<MessageReceived>(m => m.Message.Text == "second");

        // Karam's "second" waited behind "first" for the 3 s the router's clock moved; the rest waited for no time
        // on that clock (or the same 3 s, had one been in flight), and every event delivered was timed.
        Assert.Contains(3.0, waits);
        Assert.All(waits, seconds => Assert.True(seconds is 0 or 3, $"waited {seconds} s"));
        Assert.True(waits.Count >= karamEvents.Events.Count + hamza.Events.Events.Count);
    }

    private static MeterListener ListenToDeliveryWait(RouterFixture fixture, ConcurrentQueue<double> waits)
    {
        MeterListener listener = new()
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, fixture.MeterFactory) && instrument.Name == ChatMetrics.DeliveryWaitInstrument)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, seconds, _, _) => waits.Enqueue(seconds));
        listener.Start();
        return listener;
    }
}
