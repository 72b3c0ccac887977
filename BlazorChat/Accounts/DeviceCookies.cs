using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace BlazorChat.Accounts;

/// <summary>
/// What a valid device cookie says: this browser signed in to account <c>UserId</c> before. <c>Nonce</c> is random per
/// cookie, so that one cookie can be locked out without touching the others.
/// </summary>
public sealed record DeviceToken(int UserId, string Nonce);

/// <summary>
/// The device cookie of OWASP's "Slow Down Online Guessing Attacks with Device Cookies": given after a successful
/// sign-in, signed and encrypted with Data Protection, HttpOnly, kept for <see cref="AccountOptions.DeviceCookieLifetime"/>.
/// A sign-in that presents one for the account it names skips the lockout and throttle that strangers share
/// (see <see cref="SignInService"/>). A cookie that was forged, altered or has expired reads as none.
/// </summary>
public sealed class DeviceCookies(IDataProtectionProvider protection, IOptions<AccountOptions> options)
{
    public const string CookieName = "BlazorChat.Device";

    private readonly ITimeLimitedDataProtector _protector =
        protection.CreateProtector("BlazorChat.Accounts.DeviceCookie.v1").ToTimeLimitedDataProtector();

    public DeviceToken? Read(HttpRequest request)
    {
        if (!request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }

        string text;
        try
        {
            text = _protector.Unprotect(value, out _);
        }
        catch (CryptographicException)
        {
            return null;
        }

        var parts = text.Split(':');
        return parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var userId)
            ? new DeviceToken(userId, parts[1])
            : null;
    }

    /// <summary>Gives this browser a new device cookie for the account; it replaces any it had.</summary>
    public void Issue(HttpContext context, int userId)
    {
        var lifetime = options.Value.DeviceCookieLifetime;
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var value = _protector.Protect(string.Create(CultureInfo.InvariantCulture, $"{userId}:{nonce}"), lifetime);
        context.Response.Cookies.Append(CookieName, value, new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,

            // Only this site's own sign-in form sends it.
            SameSite = SameSiteMode.Strict,
            Path = "/",
            MaxAge = lifetime,
            IsEssential = true,
        });
    }
}
