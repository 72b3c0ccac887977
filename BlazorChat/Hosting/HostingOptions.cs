using Microsoft.Extensions.Options;

namespace BlazorChat.Hosting;

/// <summary>The "Hosting" section: how the process stops.</summary>
public sealed class HostingOptions
{
    public const string SectionName = "Hosting";

    /// <summary>
    /// How long a stop (SIGTERM, Ctrl+C) waits for open requests and connections. Chats live in memory and end with
    /// the process anyway, and closing circuits make browsers reconnect at once, so this is short.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

public sealed class HostingOptionsValidator : IValidateOptions<HostingOptions>
{
    public ValidateOptionsResult Validate(string? name, HostingOptions options) =>
        options.ShutdownTimeout < TimeSpan.Zero || options.ShutdownTimeout > TimeSpan.FromMinutes(10)
            ? ValidateOptionsResult.Fail($"Hosting:ShutdownTimeout must be between 00:00:00 and 00:10:00 (was {options.ShutdownTimeout}).")
            : ValidateOptionsResult.Success;
}
