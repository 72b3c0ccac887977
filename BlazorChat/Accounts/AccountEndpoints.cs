using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace BlazorChat.Accounts;

public static class AccountEndpoints
{
    public const string SignOutPath = "/account/signout";

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Signing in is the form on the SignIn page (static server rendering); signing out is this POST.
        endpoints.MapPost(SignOutPath, async Task<IResult> (HttpContext context, Cluster.ChatSilo chat, SignInSessions sessions, IAntiforgery antiforgery) =>
        {
            // The antiforgery middleware only records its verdict for an endpoint that binds no form.
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return TypedResults.BadRequest();
            }

            var user = context.User;
            var sessionId = user.FindFirst(AccountClaims.SessionId)?.Value;
            await sessions.EndAsync(sessionId, context.RequestAborted);
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            if (user.Identity is { IsAuthenticated: true, Name: { } name })
            {
                await chat.SignOutAsync(name, sessionId);
            }

            return TypedResults.LocalRedirect("~/signin");
        });

        return endpoints;
    }
}
