using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace BlazorChat.Accounts;

public sealed class AccountOptions
{
    public const string SectionName = "Accounts";

    /// <summary>Wrong passwords in a row that lock an account.</summary>
    [Range(1, 100)]
    public int MaxFailedSignIns { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", MinimumIsExclusive = true)]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>PBKDF2-HMAC-SHA512 iterations (OWASP's 2023 figure for SHA-512).</summary>
    [Range(10_000, 10_000_000)]
    public int PasswordHashIterations { get; set; } = 220_000;

    /// <summary>Sign-in attempts per minute for one username (known or not), checked before any hashing.</summary>
    [Range(1, 10_000)]
    public int SignInsPerMinutePerUser { get; set; } = 10;

    /// <summary>Sign-in attempts per minute from one client address: high, as a campus may share one address.</summary>
    [Range(1, 1_000_000)]
    public int SignInsPerMinutePerAddress { get; set; } = 300;

    /// <summary>
    /// Sign-in posts from one client address handled at once (one password check each); more wait their turn, up to
    /// a minute's allowance. The default leaves one core of the machine to the chats, however fast one address posts.
    /// </summary>
    [Range(1, 1024)]
    public int SignInsAtOncePerAddress { get; set; } = Math.Max(1, Environment.ProcessorCount - 1);

    /// <summary>
    /// Password checks that may run at once, from all addresses together; more wait their turn. The default leaves
    /// one core of the machine to the chats.
    /// </summary>
    [Range(1, 1024)]
    public int MaxConcurrentPasswordChecks { get; set; } = Math.Max(1, Environment.ProcessorCount - 1);

    /// <summary>How long a browser's device cookie (given at sign-in) lets it sign in while strangers have the account locked.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "730.00:00:00")]
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

/// <summary>Checks <see cref="AccountOptions"/> at start-up against their <see cref="RangeAttribute"/>s (generated code); <see cref="Hosting.SettingNames{TOptions}"/> names the settings in its messages.</summary>
[OptionsValidator]
public sealed partial class AccountOptionsValidator : IValidateOptions<AccountOptions>;
