using Microsoft.AspNetCore.SignalR;

namespace BlazorChat.Benchmarking;

/// <summary>
/// A bare SignalR hub, the baseline a load test compares Blazor delivery against: two connections join the
/// same pair id, and each message one sends is forwarded to the other as <c>Receive(message)</c>.
/// No router, no sign-in, no Blazor: only what SignalR itself costs.
/// </summary>
public sealed class BenchHub : Hub
{
    public const string Path = "/_bench/hub";
    public const string ReceiveMethod = "Receive";

    public Task Join(string pairId) => Groups.AddToGroupAsync(Context.ConnectionId, pairId);

    public Task Forward(string pairId, string message) =>
        Clients.OthersInGroup(pairId).SendAsync(ReceiveMethod, message);
}
