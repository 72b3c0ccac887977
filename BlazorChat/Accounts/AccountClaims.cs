using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace BlazorChat.Accounts;

public static class AccountClaims
{
    /// <summary>Identifies one sign-in, so signing out ends that browser's chat and no other.</summary>
    public const string SessionId = "sid";

    public static ClaimsPrincipal CreatePrincipal(SignInResult result, string sessionId) =>
        new(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, result.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Claim(ClaimTypes.Name, result.UserName),
                new Claim(SessionId, sessionId),
            ],
            CookieAuthenticationDefaults.AuthenticationScheme));
}
