namespace BlazorChat.Data;

public sealed class UserAccount
{
    public int Id { get; set; }

    /// <summary>The name as written in the seed file; shown to people.</summary>
    public required string UserName { get; set; }

    /// <summary><see cref="UserNames.Normalize"/> of <see cref="UserName"/>: unique, so no two accounts are the same name by that rule.</summary>
    public required string NormalizedUserName { get; set; }

    /// <summary>ASP.NET Core PasswordHasher output (PBKDF2-HMAC-SHA512, salted). Never the password.</summary>
    public required string PasswordHash { get; set; }

    /// <summary>Wrong passwords in a row since the last success or lockout.</summary>
    public int FailedSignInCount { get; set; }

    /// <summary>UTC ticks until which sign-in is refused (SQLite cannot compare DateTimeOffset).</summary>
    public long LockoutEndUtcTicks { get; set; }

    /// <summary>Set by the operator (<c>accounts disable</c>): the account cannot sign in and its sessions are ended.</summary>
    public bool Disabled { get; set; }

    /// <summary>UTC ticks of the last successful sign-in; null if never.</summary>
    public long? LastSignInUtcTicks { get; set; }

    /// <summary>Set by the person (account area, "Read receipts"): neither they nor their partners are shown "Seen".</summary>
    public bool ReadReceiptsOff { get; set; }
}
