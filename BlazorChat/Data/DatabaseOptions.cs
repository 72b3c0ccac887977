using Microsoft.Extensions.Options;

namespace BlazorChat.Data;

/// <summary>Which database engine holds the accounts, sessions, blocks and cookie keys.</summary>
public enum DatabaseProvider
{
    /// <summary>A file beside the app: one server, nothing to install.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server that several instances share.</summary>
    Postgres,
}

/// <summary>The "Database" section. The connection string itself is <c>ConnectionStrings:BlazorChat</c>.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
}

/// <summary>
/// An unknown name already fails binding (naming Database:Provider); a number outside the enum would bind silently,
/// so it is refused here. PostgreSQL has no default server, so its connection string must be given.
/// </summary>
public sealed class DatabaseOptionsValidator(IConfiguration configuration) : IValidateOptions<DatabaseOptions>
{
    private const string ProviderSetting = DatabaseOptions.SectionName + ":" + nameof(DatabaseOptions.Provider);

    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        if (!Enum.IsDefined(options.Provider))
        {
            return ValidateOptionsResult.Fail($"{ProviderSetting} must be Sqlite or Postgres.");
        }

        return options.Provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(configuration.GetConnectionString(Hosting.BlazorChatExtensions.ConnectionStringName))
            ? ValidateOptionsResult.Fail($"ConnectionStrings:{Hosting.BlazorChatExtensions.ConnectionStringName} must be set when {ProviderSetting} is Postgres.")
            : ValidateOptionsResult.Success;
    }
}
