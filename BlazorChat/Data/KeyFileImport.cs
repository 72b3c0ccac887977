using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace BlazorChat.Data;

/// <summary>
/// The cookie keys used to be files in a folder (<c>DataProtection:KeysPath</c>, <c>App_Data/keys</c> by default); they
/// are now rows of the database, which every instance shares. At start-up, while the database has no key yet, the
/// folder's key files are copied in once, so that an upgrade signs nobody out. The folder is only read, never written.
/// </summary>
public sealed partial class KeyFileImport(
    IDbContextFactory<BlazorChatDbContext> dbFactory,
    IConfiguration configuration,
    IHostEnvironment environment,
    ILogger<KeyFileImport> logger)
{
    public const string KeysPathSetting = "DataProtection:KeysPath";
    public const string DefaultKeysPath = "App_Data/keys";

    public string Folder => Path.GetFullPath(Path.Combine(environment.ContentRootPath, configuration[KeysPathSetting] ?? DefaultKeysPath));

    /// <summary>Returns how many key files were imported (none once the database has a key).</summary>
    public async Task<int> ImportAsync(CancellationToken cancellationToken)
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

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Copied {Count} cookie key file(s) from {Folder} into the database; the folder is no longer used")]
    private static partial void LogImported(ILogger logger, int count, string folder);
}
