using BlazorChat.Chat;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace BlazorChat.Hosting;

/// <summary>
/// Bounds the rate of what one tab sends: its events (clicks, key presses, input), the answers to the server's
/// JavaScript calls and its navigation. Every call from the browser to Blazor's hub takes a token from its
/// connection's bucket (<see cref="ChatOptions.MaxTabEventsPerSecond"/>, twice that at once); when there is none, the
/// call waits for one. It waits in the connection's own read loop (the hub runs one call per connection at a time), so
/// a tab that sends faster is simply read slower: nothing it sent is lost, and nothing piles up on the server. The
/// size of each call is bounded by the hub's receive limit (64 KB). Only the browser's acknowledgements of the
/// server's own renders are not counted: the server decides how many of those there are.
/// </summary>
public sealed class TabEventBudget(IOptions<ChatOptions> options, TimeProvider time) : IHubFilter
{
    private static readonly object BucketKey = new();

    private readonly double _perSecond = options.Value.MaxTabEventsPerSecond;

    public async ValueTask<object?> InvokeMethodAsync(
        HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (_perSecond > 0 && invocationContext.HubMethodName != "OnRenderCompleted")
        {
            var items = invocationContext.Context.Items;
            if (!items.TryGetValue(BucketKey, out var found) || found is not Bucket bucket)
            {
                bucket = new Bucket();
                items[BucketKey] = bucket;
            }

            var wait = bucket.Tokens.Borrow(time, 2 * _perSecond, _perSecond);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, invocationContext.Context.ConnectionAborted).ConfigureAwait(false);
            }
        }

        return await next(invocationContext).ConfigureAwait(false);
    }

    // Two seconds' worth of calls at once; a call with no token left borrows the next one and waits for it. Calls of
    // one connection come one at a time, so each waits its turn. A class, so the bucket is changed in place.
    private sealed class Bucket
    {
        public TokenBucket Tokens;
    }
}
