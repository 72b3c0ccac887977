using Microsoft.Extensions.Options;

namespace BlazorChat.Accounts;

public sealed class AccountOptions
{
    public const string SectionName = "Accounts";

    /// <summary>Wrong passwords in a row that lock an account.</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>PBKDF2-HMAC-SHA512 iterations (OWASP's 2023 figure for SHA-512).</summary>
    public int PasswordHashIterations { get; set; } = 220_000;

    /// <summary>Sign-in attempts per minute for one username (known or not), checked before any hashing.</summary>
    public int SignInsPerMinutePerUser { get; set; } = 10;

    /// <summary>Sign-in attempts per minute from one client address: high, as a campus may share one address.</summary>
    public int SignInsPerMinutePerAddress { get; set; } = 300;

    /// <summary>How long a browser's device cookie (given at sign-in) lets it sign in while strangers have the account locked.</summary>
    public TimeSpan DeviceCookieLifetime { get; set; } = TimeSpan.FromDays(180);
}

public sealed class SeedOptions
{
    public const string SectionName = "Seed";

    /// <summary>The default seed file, looked for in these places under the content root, in order.</summary>
    /// <remarks>
    /// A build or published folder (the content root of <c>dotnet BlazorChat.dll</c>) has a copy at the first;
    /// <c>dotnet run --project BlazorChat</c> has <c>BlazorChat/</c> as content root and finds the repository's
    /// top-level <c>Data/seed-users.csv</c> at the second.
    /// </remarks>
    public static readonly IReadOnlyList<string> DefaultUsersCsv = ["Data/seed-users.csv", "../Data/seed-users.csv"];

    /// <summary>The seed CSV, relative to the content root unless absolute; unset, the first of <see cref="DefaultUsersCsv"/> that exists.</summary>
    public string? UsersCsv { get; set; }
}

public sealed class AccountOptionsValidator : IValidateOptions<AccountOptions>
{
    public ValidateOptionsResult Validate(string? name, AccountOptions options)
    {
        List<string> failures = [];
        if (options.MaxFailedSignIns is < 1 or > 100)
        {
            failures.Add($"Accounts:MaxFailedSignIns must be between 1 and 100 (was {options.MaxFailedSignIns}).");
        }

        if (options.LockoutDuration <= TimeSpan.Zero || options.LockoutDuration > TimeSpan.FromDays(1))
        {
            failures.Add($"Accounts:LockoutDuration must be more than zero and at most one day (was {options.LockoutDuration}).");
        }

        if (options.PasswordHashIterations is < 10_000 or > 10_000_000)
        {
            failures.Add($"Accounts:PasswordHashIterations must be between 10000 and 10000000 (was {options.PasswordHashIterations}).");
        }

        if (options.SignInsPerMinutePerUser is < 1 or > 10_000)
        {
            failures.Add($"Accounts:SignInsPerMinutePerUser must be between 1 and 10000 (was {options.SignInsPerMinutePerUser}).");
        }

        if (options.SignInsPerMinutePerAddress is < 1 or > 1_000_000)
        {
            failures.Add($"Accounts:SignInsPerMinutePerAddress must be between 1 and 1000000 (was {options.SignInsPerMinutePerAddress}).");
        }

        if (options.DeviceCookieLifetime < TimeSpan.FromHours(1) || options.DeviceCookieLifetime > TimeSpan.FromDays(730))
        {
            failures.Add($"Accounts:DeviceCookieLifetime must be between one hour and 730 days (was {options.DeviceCookieLifetime}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
