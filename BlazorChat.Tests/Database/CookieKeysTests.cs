using BlazorChat.Data;
using BlazorChat.Tests.EndToEnd;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace BlazorChat.Tests.Database;

/// <summary>Key files of older versions (DataProtection:KeysPath) are copied into the database once, so an upgrade signs nobody out.</summary>
public sealed class CookieKeysTests
{
    [Fact]
    public async Task Start_WithKeyFilesOfAnOlderVersion_UnprotectsWhatTheyProtected()
    {
        // BlazorChatServer points DataProtection:KeysPath at a folder of its own: fill it as the file repository did.
        await using var server = new BlazorChatServer();
        var folder = Path.Combine(server.DataDirectory, "keys");
        var before = DataProtectionProvider.Create(new DirectoryInfo(folder), b => b.SetApplicationName("BlazorChat"));
        var payload = before.CreateProtector("BlazorChat.Tests").Protect("signed in before the upgrade");
        var files = Directory.GetFiles(folder, "*.xml").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToList();

        server.Start();

        var after = server.Services.GetRequiredService<IDataProtectionProvider>();
        Assert.Equal("signed in before the upgrade", after.CreateProtector("BlazorChat.Tests").Unprotect(payload));
        await using var db = await server.Services.GetRequiredService<IDbContextFactory<BlazorChatDbContext>>().CreateDbContextAsync();
        Assert.Equal(files, await db.DataProtectionKeys.Select(k => k.FriendlyName).OrderBy(n => n).ToListAsync());
    }

    [Fact]
    public async Task Start_DatabaseAlreadyHasKeys_ImportsNothing()
    {
        await using var server = new BlazorChatServer();
        var folder = Path.Combine(server.DataDirectory, "keys");
        server.Start();
        var keys = server.Services.GetRequiredService<CookieKeys>();
        DataProtectionProvider.Create(new DirectoryInfo(folder), b => b.SetApplicationName("BlazorChat")).CreateProtector("x").Protect("y");

        var imported = await keys.ImportKeyFilesAsync(CancellationToken.None);

        Assert.Equal(0, imported);
        Assert.NotEmpty(Directory.GetFiles(folder, "*.xml"));
    }
}
