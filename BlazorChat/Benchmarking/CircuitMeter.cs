using System.Diagnostics.Metrics;

namespace BlazorChat.Benchmarking;

/// <summary>
/// Keeps running totals of Blazor's own circuit gauges (the <c>Microsoft.AspNetCore.Components.Server.Circuits</c>
/// meter that ASP.NET Core 10 publishes). They are up-down counters, so only changes are reported: the
/// listener must start before the first circuit opens, which is why it starts when the app is built.
/// </summary>
public sealed class CircuitMeter : IDisposable
{
    public const string MeterName = "Microsoft.AspNetCore.Components.Server.Circuits";
    public const string ActiveInstrument = "aspnetcore.components.circuit.active";
    public const string ConnectedInstrument = "aspnetcore.components.circuit.connected";

    private readonly MeterListener _listener = new();
    private long _active;
    private long _connected;

    /// <param name="meterFactory">This app's factory: meters of other hosts in the same process (tests) are ignored.</param>
    public CircuitMeter(IMeterFactory meterFactory)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MeterName
                && ReferenceEquals(instrument.Meter.Scope, meterFactory)
                && instrument.Name is ActiveInstrument or ConnectedInstrument)
            {
                listener.EnableMeasurementEvents(instrument, this);
            }
        };
        _listener.SetMeasurementEventCallback<long>(static (instrument, change, _, state) =>
        {
            var self = (CircuitMeter)state!;
            if (instrument.Name == ActiveInstrument)
            {
                Interlocked.Add(ref self._active, change);
            }
            else
            {
                Interlocked.Add(ref self._connected, change);
            }
        });
        _listener.Start();
    }

    /// <summary>Circuits open on the server, connected or not.</summary>
    public long Active => Interlocked.Read(ref _active);

    /// <summary>Circuits whose browser is connected right now.</summary>
    public long Connected => Interlocked.Read(ref _connected);

    public void Dispose() => _listener.Dispose();
}
