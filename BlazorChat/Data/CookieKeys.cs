using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BlazorChat.Data;

/// <summary>
/// Start-up's part in the cookie keys (ASP.NET Core data protection), which are rows of the database that every
/// instance shares. They used to be files in a folder (<c>DataProtection:KeysPath</c>, <c>App_Data/keys</c> by
/// default): while the database has no key yet, the folder's key files are copied in once, so that an upgrade signs
/// nobody out (the folder is only read, never written). Then, still without a key, the first one is made here, under
/// the start-up lock, so that instances starting together agree on one key rather than each making its own.
/// </summary>
public sealed partial class CookieKeys(
    IDbContextFactory<BlazorChatDbContext> dbFactory,
    IKeyManager keyManager,
    IOptions<KeyManagementOptions> keyOptions,
    TimeProvider time,
    IConfiguration configuration,
    IHostEnvironment environment,
    ILogger<CookieKeys> logger)
{
    public const string KeysPathSetting = "DataProtection:KeysPath";
    public const string DefaultKeysPath = "App_Data/keys";

    public string Folder => Path.GetFullPath(Path.Combine(environment.ContentRootPath, configuration[KeysPathSetting] ?? DefaultKeysPath));

    /// <summary>Returns how many key files were imported (none once the database has a key).</summary>
    public async Task<int> ImportKeyFilesAsync(CancellationToken cancellationToken)
    {
        var folder = Folder;
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.xml").Order(StringComparer.Ordinal).ToList() : [];
        if (files.Count == 0)
        {
            return 0;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.DataProtectionKeys.AnyAsync(cancellationToken))
        {
            return 0;
        }

        foreach (var file in files)
        {
            // The same row ASP.NET Core's own repository writes: the file's name and its element.
            var element = XElement.Parse(await File.ReadAllTextAsync(file, cancellationToken));
            db.DataProtectionKeys.Add(new DataProtectionKey
            {
                FriendlyName = Path.GetFileNameWithoutExtension(file),
                Xml = element.ToString(SaveOptions.DisableFormatting),
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        LogImported(logger, files.Count, folder);
        return files.Count;
    }

    /// <summary>Makes the first key if the database has none; returns whether it did. Only under the start-up lock.</summary>
    public async Task<bool> CreateFirstKeyAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.DataProtectionKeys.AnyAsync(cancellationToken))
        {
            return false;
        }

        var now = time.GetUtcNow();
        keyManager.CreateNewKey(activationDate: now, expirationDate: now + keyOptions.Value.NewKeyLifetime);
        return true;
    }

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Copied {Count} cookie key file(s) from {Folder} into the database; the folder is no longer used")]
    private static partial void LogImported(ILogger logger, int count, string folder);
}
