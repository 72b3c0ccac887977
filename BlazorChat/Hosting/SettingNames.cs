using Microsoft.Extensions.Options;

namespace BlazorChat.Hosting;

/// <summary>
/// Runs a generated options validator and names each failing member as its setting is written: the generated messages
/// say "ChatOptions.MaxMessageLength", an operator sets "Chat:MaxMessageLength" (or Chat__MaxMessageLength). (The
/// generator's range checks also ignore a custom ErrorMessage, so the message is mended here rather than there.)
/// </summary>
public sealed class SettingNames<TOptions>(string section, IValidateOptions<TOptions> generated) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var result = generated.Validate(name, options);
        return result.Failed
            ? ValidateOptionsResult.Fail(result.Failures.Select(failure =>
                failure.Replace(typeof(TOptions).Name + ".", section + ":", StringComparison.Ordinal)))
            : result;
    }
}
