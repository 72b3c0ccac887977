using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace BlazorChat.Accounts;

/// <summary>
/// Limits sign-in form posts per client address. The policy is attached to the sign-in page itself
/// (<c>[EnableRateLimiting]</c> on the component, which routing carries as endpoint metadata), so it holds for
/// every address that routing takes to the page (/signin/, /SIGNIN, /%73ignin, /./signin …), not only for one
/// spelling of the path. An excess attempt gets 429 with Retry-After and a short page, not 503. (The
/// per-username limit lives in <see cref="SignInService"/>.)
/// </summary>
public static class SignInRateLimiting
{
    public const string PolicyName = "signin";

    public const string TooManyMessage = "Too many sign-in attempts. Wait a minute and try again.";

    public static IServiceCollection AddSignInRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<AccountOptions>>((limiter, accounts) =>
        {
            var perMinute = accounts.Value.SignInsPerMinutePerAddress;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(PolicyName, context =>
                HttpMethods.IsPost(context.Request.Method)
                    ? RateLimitPartition.GetSlidingWindowLimiter(
                        context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                        _ => new SlidingWindowRateLimiterOptions
                        {
                            PermitLimit = perMinute,
                            Window = TimeSpan.FromMinutes(1),
                            SegmentsPerWindow = 6,
                            QueueLimit = 0,
                        })
                    : RateLimitPartition.GetNoLimiter(""));
            // Also one address's sign-ins are checked a few at a time (the rest wait their turn, up to a minute's
            // allowance): one address flooding the form then keeps at most that many cores busy, not all of them.
            var atOnce = accounts.Value.SignInsAtOncePerAddress;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                HttpMethods.IsPost(context.Request.Method) && IsSignInPage(context)
                    ? RateLimitPartition.GetConcurrencyLimiter(
                        context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                        _ => new ConcurrencyLimiterOptions
                        {
                            PermitLimit = atOnce,
                            QueueLimit = perMinute,
                            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                        })
                    : RateLimitPartition.GetNoLimiter(""));
            limiter.OnRejected = static async (rejected, cancellationToken) =>
            {
                var response = rejected.HttpContext.Response;
                response.Headers.RetryAfter = "60";
                response.ContentType = "text/html; charset=utf-8";
                await response.WriteAsync(
                    $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>BlazorChat</title></head><body><p>{TooManyMessage}</p><p><a href=\"/signin\">Back to sign in</a></p></body></html>",
                    cancellationToken);
            };
        });
        return services;
    }

    private static bool IsSignInPage(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == PolicyName;
}
