using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace BlazorChat.Hosting;

/// <summary>The "Hosting" section: how the process stops, and which reverse proxies it believes.</summary>
public sealed class HostingOptions
{
    public const string SectionName = "Hosting";

    /// <summary>
    /// How long a stop (SIGTERM, Ctrl+C) waits for open requests and connections. Chats live in memory and end with
    /// the process anyway, and closing circuits make browsers reconnect at once, so this is short.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many proxies' X-Forwarded-For entries are believed, from the right (one: nginx on the same machine).</summary>
    [Range(1, 10)]
    public int ForwardLimit { get; set; } = 1;
}

/// <summary>Checks <see cref="HostingOptions"/> at start-up against their <see cref="RangeAttribute"/>s (generated code); <see cref="SettingNames{TOptions}"/> names the settings in its messages.</summary>
[OptionsValidator]
public sealed partial class HostingOptionsValidator : IValidateOptions<HostingOptions>;
