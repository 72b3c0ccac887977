using BlazorChat.Cluster;
using Microsoft.Extensions.Options;

namespace BlazorChat.Hosting;

/// <summary>
/// The "Cluster" section bound and checked at start-up: the generated range and pattern checks, and
/// <see cref="ClusterSettingsValidator"/>'s checks that need code.
/// </summary>
public static class ClusterSettings
{
    public static IServiceCollection AddClusterSettings(this IServiceCollection services)
    {
        services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClusterOptions>>(new SettingNames<ClusterOptions>(ClusterOptions.SectionName, new ClusterOptionsValidator()));
        services.AddSingleton<IValidateOptions<ClusterOptions>, ClusterSettingsValidator>();
        return services;
    }
}

/// <summary>
/// <c>Cluster:Redis</c>, when set, is a configuration StackExchange.Redis accepts and names at least one server; the
/// silo and gateway ports, when set, differ. The value itself is never repeated in a message: it may hold a password.
/// </summary>
public sealed class ClusterSettingsValidator : IValidateOptions<ClusterOptions>
{
    private const string Section = ClusterOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        List<string> failures = [];
        if (options.IsClustered)
        {
            try
            {
                if (RedisReadyCheck.Configuration(options.Redis!).EndPoints.Count == 0)
                {
                    failures.Add($"{Section}:Redis names no server: give host:port, for example 127.0.0.1:6379.");
                }
            }
            catch (ArgumentException ex)
            {
                failures.Add($"{Section}:Redis is not a StackExchange.Redis configuration (host:port[,option=value…]): {ex.Message}");
            }
        }

        // 0 is "any free port" for the silo and "none" for the gateway, so two zeros do not clash.
        if (options.SiloPort != 0 && options.SiloPort == options.GatewayPort)
        {
            failures.Add($"{Section}:SiloPort and {Section}:GatewayPort are both {options.SiloPort}: each needs a port of its own.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
