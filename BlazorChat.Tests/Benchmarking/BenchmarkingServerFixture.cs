using System.Net;
using BlazorChat.Tests.EndToEnd;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace BlazorChat.Tests.Benchmarking;

/// <summary>
/// The real app on a loopback port with <c>Benchmarking:Enabled</c>. A request carrying
/// <see cref="RemoteAddressHeader"/> is made to look as if it came from that address, so a test can stand
/// in for another machine while every socket stays on loopback.
/// </summary>
public sealed class BenchmarkingServerFixture : IAsyncLifetime
{
    public const string RemoteAddressHeader = "X-Test-Remote-Address";

    public BlazorChatServer Server { get; } = new(
        new Dictionary<string, string> { ["Benchmarking:Enabled"] = "true" },
        configure: builder => builder.ConfigureServices(services => services.AddTransient<IStartupFilter, RemoteAddressFilter>()));

    public Task InitializeAsync()
    {
        Server.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    private sealed class RemoteAddressFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue(RemoteAddressHeader, out var address))
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(address.ToString());
                    context.Request.Headers.Remove(RemoteAddressHeader);
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
