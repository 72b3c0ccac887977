using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using IPNetwork = System.Net.IPNetwork;

namespace BlazorChat.Hosting;

/// <summary>
/// Behind a reverse proxy (nginx terminating TLS), the app sees the proxy's address and plain http. The proxy's
/// X-Forwarded-For and X-Forwarded-Proto give the real client address and scheme, but only a proxy the app trusts may
/// say so: anyone else could claim any address and dodge the per-address limits. Trusted are the addresses in
/// <c>Hosting:KnownProxies</c> and the networks in <c>Hosting:KnownNetworks</c>; with neither set, loopback
/// (127.0.0.0/8 and ::1), where a proxy on the same machine connects from. Applied first in the pipeline, so the
/// redirects, the cookie's Secure flag, the same-origin check and every limit see the client's view.
/// </summary>
public static class ProxyHeaders
{
    public const string KnownProxiesKey = HostingOptions.SectionName + ":KnownProxies";
    public const string KnownNetworksKey = HostingOptions.SectionName + ":KnownNetworks";

    public static IServiceCollection AddProxyHeaders(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IConfiguration, IOptions<HostingOptions>>((options, configuration, hosting) =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.ForwardLimit = hosting.Value.ForwardLimit;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            var proxies = Entries(configuration.GetSection(KnownProxiesKey)).Select(ParseProxy).ToList();
            var networks = Entries(configuration.GetSection(KnownNetworksKey)).Select(ParseNetwork).ToList();
            if (proxies.Count == 0 && networks.Count == 0)
            {
                networks = [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")];
            }

            foreach (var proxy in proxies)
            {
                options.KnownProxies.Add(proxy);
            }

            foreach (var network in networks)
            {
                options.KnownIPNetworks.Add(network);
            }
        });

        // Parse at start-up, so a typo stops the app with the setting named rather than at the first request.
        services.AddOptions<ForwardedHeadersOptions>().ValidateOnStart();
        return services;
    }

    /// <summary>Listed (<c>:0</c>, <c>:1</c>, …) or comma-separated in one value, as an environment variable gives them.</summary>
    internal static IEnumerable<string> Entries(IConfigurationSection section)
    {
        string[] listed = section.Get<string[]>() ?? [];
        var given = section.Value?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
        return listed.Concat(given).Where(e => e.Length > 0);
    }

    internal static IPAddress ParseProxy(string entry) =>
        IPAddress.TryParse(entry, out var address) && !entry.Contains('/', StringComparison.Ordinal)
            ? address
            : throw new OptionsValidationException(KnownProxiesKey, typeof(ForwardedHeadersOptions),
                [$"{KnownProxiesKey}: '{entry}' is not an IP address (for example 10.0.0.5 or fd00::5); put networks in {KnownNetworksKey}."]);

    internal static IPNetwork ParseNetwork(string entry) =>
        IPNetwork.TryParse(entry, out var network)
            ? network
            : throw new OptionsValidationException(KnownNetworksKey, typeof(ForwardedHeadersOptions),
                [$"{KnownNetworksKey}: '{entry}' is not a network in CIDR form (for example 10.0.0.0/8 or fd00::/64)."]);
}
