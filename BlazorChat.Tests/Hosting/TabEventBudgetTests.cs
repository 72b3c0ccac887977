using System.Security.Claims;
using BlazorChat.Chat;
using BlazorChat.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Time.Testing;

namespace BlazorChat.Tests.Hosting;

public sealed class TabEventBudgetTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly TabEventBudget _budget;
    private int _handled;

    public TabEventBudgetTests() =>
        _budget = new TabEventBudget(Microsoft.Extensions.Options.Options.Create(new ChatOptions { MaxTabEventsPerSecond = 10 }), _time);

    [Fact]
    public async Task Invoke_BeyondTwiceTheRate_WaitsForTheBudgetToRefill_AndLosesNothing()
    {
        var tab = new Connection();

        for (var i = 0; i < 20; i++)
        {
            Assert.True(Invoke(tab, "DispatchBrowserEvent").IsCompleted);
        }

        var waiting = Invoke(tab, "DispatchBrowserEvent");
        Assert.False(waiting.IsCompleted);
        Assert.Equal(20, _handled);

        _time.Advance(TimeSpan.FromMilliseconds(100));
        await waiting;
        Assert.Equal(21, _handled);
    }

    [Fact]
    public void Invoke_EachTabHasItsOwnBudget()
    {
        var busy = new Connection();
        for (var i = 0; i < 20; i++)
        {
            _ = Invoke(busy, "DispatchBrowserEvent");
        }

        Assert.False(Invoke(busy, "BeginInvokeDotNetFromJS").IsCompleted);
        Assert.True(Invoke(new Connection(), "DispatchBrowserEvent").IsCompleted);
    }

    [Fact]
    public void Invoke_AcknowledgementsOfTheServersRenders_AreNotCounted()
    {
        var tab = new Connection();
        for (var i = 0; i < 20; i++)
        {
            _ = Invoke(tab, "DispatchBrowserEvent");
        }

        Assert.True(Invoke(tab, "OnRenderCompleted").IsCompleted);
        Assert.False(Invoke(tab, "OnLocationChanged").IsCompleted);
    }

    [Fact]
    public void Invoke_WithTheBudgetTurnedOff_NeverWaits()
    {
        var unlimited = new TabEventBudget(Microsoft.Extensions.Options.Options.Create(new ChatOptions { MaxTabEventsPerSecond = 0 }), _time);
        var tab = new Connection();

        Assert.All(Enumerable.Range(0, 1000), _ => Assert.True(unlimited.InvokeMethodAsync(Context(tab, "DispatchBrowserEvent"), Next).IsCompleted));
    }

    private ValueTask<object?> Invoke(Connection tab, string method) => _budget.InvokeMethodAsync(Context(tab, method), Next);

    private ValueTask<object?> Next(HubInvocationContext context)
    {
        _handled++;
        return ValueTask.FromResult<object?>(null);
    }

    // The filter knows a call by its hub method's name: these stand for Blazor's hub's methods of the same names.
    private static HubInvocationContext Context(Connection tab, string method) =>
        new(tab, serviceProvider: null!, hub: null!, hubMethod: typeof(BlazorHubMethods).GetMethod(method)!, hubMethodArguments: []);

    private static class BlazorHubMethods
    {
        public static void DispatchBrowserEvent()
        {
        }

        public static void BeginInvokeDotNetFromJS()
        {
        }

        public static void OnLocationChanged()
        {
        }

        public static void OnRenderCompleted()
        {
        }
    }

    // SignalR's per-connection context, as the hub gives it to a filter: the budget keeps its bucket in Items.
    private sealed class Connection : HubCallerContext
    {
        public override string ConnectionId { get; } = Guid.NewGuid().ToString("N");

        public override string? UserIdentifier => null;

        public override ClaimsPrincipal? User => null;

        public override IDictionary<object, object?> Items { get; } = new Dictionary<object, object?>();

        public override IFeatureCollection Features { get; } = new FeatureCollection();

        public override CancellationToken ConnectionAborted => CancellationToken.None;

        public override void Abort()
        {
        }
    }
}
