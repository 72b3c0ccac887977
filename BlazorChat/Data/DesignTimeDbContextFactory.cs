using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace BlazorChat.Data;

/// <summary>
/// Lets `dotnet ef migrations add … --context BlazorChatDbContext` build the SQLite model without starting the app.
/// </summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<BlazorChatDbContext>
{
    public BlazorChatDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<BlazorChatDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>
/// Lets `dotnet ef migrations add … --context PostgresDbContext --output-dir Data/Migrations/Postgres` build the
/// PostgreSQL model. Adding a migration opens no connection, so no server is needed.
/// </summary>
internal sealed class PostgresDesignTimeDbContextFactory : IDesignTimeDbContextFactory<PostgresDbContext>
{
    public PostgresDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<BlazorChatDbContext>().UseNpgsql("Host=localhost;Database=blazorchat_design").Options);
}
