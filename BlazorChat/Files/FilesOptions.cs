using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace BlazorChat.Files;

/// <summary>The "Files" section: where sent files are kept and how much a person and the server may hold.</summary>
public sealed class FilesOptions
{
    public const string SectionName = "Files";

    /// <summary>The folder holding the encrypted files, relative to the content root. Emptied of files at every start.</summary>
    [Required]
    [MinLength(1)]
    public string Path { get; set; } = "App_Data/files";

    /// <summary>Largest file a person may send, in bytes (100 MiB, shown as "100 MB").</summary>
    [Range(typeof(long), "1", "1099511627776")]
    public long MaxFileSize { get; set; } = 100L * 1024 * 1024;

    /// <summary>Files one chat may hold at once; a file past it is refused until the chat ends.</summary>
    [Range(1, 10_000)]
    public int MaxFilesPerChat { get; set; } = 100;

    /// <summary>Bytes (encrypted) all chats' files may take on disk together; an upload that would pass it is refused.</summary>
    [Range(typeof(long), "1048576", "1099511627776000")]
    public long MaxStorage { get; set; } = 10L * 1024 * 1024 * 1024;

    /// <summary>Uploads one person may start per minute, across their tabs (also the burst allowed); 0 turns the limit off.</summary>
    [Range(0, 10_000)]
    public int MaxUploadsPerMinute { get; set; } = 30;

    /// <summary>The longest a file is kept, even if its chat goes on.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromHours(24);
}

/// <summary>Checks <see cref="FilesOptions"/> at start-up against their attributes (generated code); <see cref="Hosting.SettingNames{TOptions}"/> names the settings in its messages.</summary>
[OptionsValidator]
public sealed partial class FilesOptionsValidator : IValidateOptions<FilesOptions>;
