using Microsoft.EntityFrameworkCore;

namespace BlazorChat.Data;

public sealed class BlazorChatDbContext(DbContextOptions<BlazorChatDbContext> options) : DbContext(options)
{
    public DbSet<UserAccount> Users => Set<UserAccount>();

    public DbSet<SignInSession> Sessions => Set<SignInSession>();

    public DbSet<UserBlock> Blocks => Set<UserBlock>();

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
