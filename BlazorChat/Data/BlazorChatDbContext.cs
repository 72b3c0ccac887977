using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace BlazorChat.Data;

/// <summary>
/// Accounts, sign-in sessions, blocks and the cookie keys. This type is the SQLite context (its migrations are in
/// Data/Migrations); <see cref="PostgresDbContext"/> is the same model with PostgreSQL's migrations.
/// </summary>
public class BlazorChatDbContext(DbContextOptions<BlazorChatDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<UserAccount> Users => Set<UserAccount>();

    public DbSet<SignInSession> Sessions => Set<SignInSession>();

    public DbSet<UserBlock> Blocks => Set<UserBlock>();

    /// <summary>ASP.NET Core's data-protection keys (cookies, antiforgery), shared by every instance on this database.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var user = modelBuilder.Entity<UserAccount>();
        user.ToTable("Users");
        user.Property(u => u.UserName).HasMaxLength(UserNameRules.MaxLength);
        user.Property(u => u.NormalizedUserName).HasMaxLength(UserNameRules.MaxLength);
        user.Property(u => u.PasswordHash).HasMaxLength(512);
        user.HasIndex(u => u.NormalizedUserName).IsUnique();

        var session = modelBuilder.Entity<SignInSession>();
        session.ToTable("Sessions");
        session.Property(s => s.Id).HasMaxLength(32);
        session.HasOne<UserAccount>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        session.HasIndex(s => s.CreatedUtcTicks);

        // The running app looks for sessions ended by another process (the accounts command) every few seconds.
        session.HasIndex(s => s.EndedUtcTicks);

        var block = modelBuilder.Entity<UserBlock>();
        block.ToTable("Blocks");
        block.HasKey(b => new { b.BlockerId, b.BlockedId });
        block.HasOne<UserAccount>().WithMany().HasForeignKey(b => b.BlockerId).OnDelete(DeleteBehavior.Cascade);
        block.HasOne<UserAccount>().WithMany().HasForeignKey(b => b.BlockedId).OnDelete(DeleteBehavior.Cascade);
    }
}
