using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BlazorChat.Data;

/// <summary>Makes the context of the configured provider, so that each provider finds its own migrations.</summary>
public sealed class BlazorChatDbContextFactory(DbContextOptions<BlazorChatDbContext> options, IOptions<DatabaseOptions> database)
    : IDbContextFactory<BlazorChatDbContext>
{
    public BlazorChatDbContext CreateDbContext() => database.Value.Provider == DatabaseProvider.Postgres
        ? new PostgresDbContext(options)
        : new BlazorChatDbContext(options);
}
