using System.Diagnostics.Metrics;
using BlazorChat.Benchmarking;

namespace BlazorChat.Tests.Benchmarking;

public sealed class CircuitMeterTests
{
    [Fact]
    public void CircuitMeter_AddsUpBlazorsCircuitGaugesFromItsOwnAppOnly()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var otherApp = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        using var circuits = new CircuitMeter(factory);
        // The instruments Blazor's CircuitMetrics creates, under the same meter and names.
        var meter = factory.Create(CircuitMeter.MeterName);
        var active = meter.CreateUpDownCounter<long>(CircuitMeter.ActiveInstrument);
        var connected = meter.CreateUpDownCounter<long>(CircuitMeter.ConnectedInstrument);
        var otherActive = otherApp.GetRequiredService<IMeterFactory>().Create(CircuitMeter.MeterName)
            .CreateUpDownCounter<long>(CircuitMeter.ActiveInstrument);

        active.Add(1);
        active.Add(1);
        connected.Add(1);
        connected.Add(1);
        connected.Add(-1);
        otherActive.Add(5);

        Assert.Equal(2, circuits.Active);
        Assert.Equal(1, circuits.Connected);
    }
}
