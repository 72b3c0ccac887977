using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace BlazorChat.Data;

/// <summary>Lets `dotnet ef migrations add` build the model without starting the app.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<BlazorChatDbContext>
{
    public BlazorChatDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<BlazorChatDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
