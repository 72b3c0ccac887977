using System.Buffers.Binary;
using System.Text;
using BlazorChat.Accounts;
using BlazorChat.Data;
using BlazorChat.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

namespace BlazorChat.Tests.Accounts;

/// <summary>The one test that pays for the real iteration count: the hasher exactly as the app builds it.</summary>
public sealed class PasswordHashingTests : IDisposable
{
    private readonly string _contentRoot = Path.Combine(Path.GetTempPath(), "blazorchat-hashing-" + Guid.NewGuid().ToString("N"));

    public PasswordHashingTests() => Directory.CreateDirectory(_contentRoot);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_contentRoot, recursive: true);
    }

    [Fact]
    public async Task AccountsInitializer_AppServices_StoresV3Sha512HashWith220000IterationsAndNoClearPassword()
    {
        // Arrange: the app's own registrations, content root and default database path in a temp folder.
        const string password = "Tr0ub4dor&3-unique-marker";
        Directory.CreateDirectory(Path.Combine(_contentRoot, "Data"));
        await File.WriteAllTextAsync(Path.Combine(_contentRoot, "Data", "seed-users.csv"), $"username,password\nhamza,{password}\n");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = _contentRoot,
            EnvironmentName = Environments.Production,
        });
        builder.AddBlazorChat();
        await using var app = builder.Build();
        var initializer = app.Services.GetServices<IHostedService>().OfType<AccountsInitializer>().Single();

        // Act
        await initializer.StartingAsync(CancellationToken.None);

        // Assert
        var hasher = app.Services.GetRequiredService<PasswordHasher<UserAccount>>();
        UserAccount account;
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<BlazorChatDbContext>>().CreateDbContextAsync())
        {
            account = db.Users.Single();
        }

        var hash = Convert.FromBase64String(account.PasswordHash);
        Assert.Equal(0x01, hash[0]);
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(1))); // KeyDerivationPrf.HMACSHA512
        Assert.Equal(220_000u, BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(5)));
        var saltLength = (int)BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(9));
        Assert.Equal(16, saltLength);
        Assert.Equal(13 + saltLength + 32, hash.Length);
        Assert.Equal(PasswordVerificationResult.Success, hasher.VerifyHashedPassword(account, account.PasswordHash, password));

        SqliteConnection.ClearAllPools();
        var files = Directory.GetFiles(Path.Combine(_contentRoot, "App_Data"), "blazorchat.db*");
        Assert.Contains(files, f => f.EndsWith("blazorchat.db", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(password)));
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(password)));
        }
    }
}
