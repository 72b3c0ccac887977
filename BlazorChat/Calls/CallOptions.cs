using Microsoft.Extensions.Options;

namespace BlazorChat.Calls;

/// <summary>Voice and video calls: the <c>Calls</c> section of configuration (docs/configuration.md, docs/calls.md).</summary>
public sealed class CallOptions
{
    public const string SectionName = "Calls";

    /// <summary>How long a call rings before it counts as missed.</summary>
    public TimeSpan RingTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// STUN and TURN servers handed to the browsers (RTCIceServer). None: host candidates only, which work on one
    /// network and on loopback. An entry with no URL, or with a URL that is not stun:, stuns:, turn: or turns:, stops
    /// start-up naming it (a browser would throw on it and no call would start).
    /// </summary>
    public List<IceServerOptions> IceServers { get; set; } = [];

    /// <summary>
    /// coturn's <c>static-auth-secret</c> (its use-auth-secret REST scheme): each call gets its own TURN user name and
    /// password, valid for <see cref="TurnCredentialLifetime"/>, for the TURN servers that name no user of their own.
    /// </summary>
    public string? TurnSecret { get; set; }

    /// <summary>How long a call's TURN credentials stay valid (coturn refuses them afterwards).</summary>
    public TimeSpan TurnCredentialLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Longest signalling message (SDP or candidate as JSON), in UTF-16 units; an audio+video offer is about 6,000.</summary>
    public int MaxSignalChars { get; set; } = 32 * 1024;

    /// <summary>Signalling messages one end of a call may send per second (twice this at once); 0 turns the limit off.</summary>
    public int MaxSignalsPerSecond { get; set; } = 20;

    /// <summary>Calls one person may place per minute in a chat (also the burst allowed); each rings every tab of the partner.</summary>
    public int MaxCallsPerMinute { get; set; } = 6;
}

public sealed class IceServerOptions
{
    /// <summary>One or more URLs of one server, such as <c>turn:turn.example.com:3478?transport=udp</c>.</summary>
    public List<string> Urls { get; set; } = [];

    /// <summary>A fixed TURN user; leave out to have <see cref="CallOptions.TurnSecret"/> make one per call.</summary>
    public string? Username { get; set; }

    public string? Credential { get; set; }
}

/// <summary>Checks <see cref="CallOptions"/> at start-up; each message names the setting as it is written in configuration.</summary>
public sealed class CallOptionsValidator : IValidateOptions<CallOptions>
{
    private static readonly string[] Schemes = ["stun:", "stuns:", "turn:", "turns:"];

    public ValidateOptionsResult Validate(string? name, CallOptions options)
    {
        List<string> failures = [];
        const string Section = CallOptions.SectionName;
        if (options.RingTimeout < TimeSpan.FromSeconds(1) || options.RingTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{Section}:RingTimeout must be between 00:00:01 and 00:10:00 (it is {options.RingTimeout}).");
        }

        if (options.TurnCredentialLifetime < TimeSpan.FromMinutes(1) || options.TurnCredentialLifetime > TimeSpan.FromDays(1))
        {
            failures.Add($"{Section}:TurnCredentialLifetime must be between 00:01:00 and 1.00:00:00 (it is {options.TurnCredentialLifetime}).");
        }

        if (options.MaxSignalChars is < 1024 or > 60_000)
        {
            failures.Add($"{Section}:MaxSignalChars must be between 1024 and 60000 (a circuit takes 64 KB per message); it is {options.MaxSignalChars}.");
        }

        if (options.MaxSignalsPerSecond is < 0 or > 1000)
        {
            failures.Add($"{Section}:MaxSignalsPerSecond must be between 0 and 1000 (it is {options.MaxSignalsPerSecond}).");
        }

        if (options.MaxCallsPerMinute is < 0 or > 1000)
        {
            failures.Add($"{Section}:MaxCallsPerMinute must be between 0 and 1000 (it is {options.MaxCallsPerMinute}).");
        }

        if (options.TurnSecret is { } secret && string.IsNullOrWhiteSpace(secret))
        {
            failures.Add($"{Section}:TurnSecret is set but empty; remove it or give coturn's static-auth-secret.");
        }

        for (var i = 0; i < options.IceServers.Count; i++)
        {
            var server = options.IceServers[i];
            var setting = $"{Section}:IceServers:{i}";
            if (server is null || server.Urls.Count == 0 || server.Urls.TrueForAll(string.IsNullOrWhiteSpace))
            {
                failures.Add($"{setting}:Urls is empty; give at least one stun:, stuns:, turn: or turns: URL, or remove the entry.");
                continue;
            }

            var turn = false;
            for (var j = 0; j < server.Urls.Count; j++)
            {
                var url = server.Urls[j]?.Trim() ?? "";
                var scheme = Array.Find(Schemes, s => url.StartsWith(s, StringComparison.OrdinalIgnoreCase));
                if (scheme is null || url.Length == scheme.Length || url.Contains(' ', StringComparison.Ordinal))
                {
                    failures.Add($"{setting}:Urls:{j}: '{url}' is not a STUN or TURN URL (stun:host[:port], turn:host[:port][?transport=udp|tcp], turns:…).");
                    continue;
                }

                turn |= scheme.StartsWith("turn", StringComparison.Ordinal);
            }

            if (turn && string.IsNullOrEmpty(server.Username) && string.IsNullOrEmpty(options.TurnSecret))
            {
                failures.Add($"{setting} is a TURN server with no credentials: set {Section}:TurnSecret (coturn's static-auth-secret) or {setting}:Username and :Credential.");
            }

            if (!string.IsNullOrEmpty(server.Username) && string.IsNullOrEmpty(server.Credential))
            {
                failures.Add($"{setting}:Credential is missing for {setting}:Username.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
