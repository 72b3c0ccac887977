using BlazorChat.Files;

namespace BlazorChat.Components.Files;

public enum FileCardStatus
{
    /// <summary>This tab is sending it: percent and "Cancel".</summary>
    Uploading,

    /// <summary>All of it reached the server and the partner was told.</summary>
    Sent,

    /// <summary>The partner sent it: "Download", and a thumbnail for a raster image.</summary>
    Received,

    /// <summary>Refused before or while sending, with the reason and the limit.</summary>
    Refused,

    Cancelled,

    /// <summary>Its chat ended or it was kept as long as files are: its link answers 404.</summary>
    Unavailable,
}

/// <summary>One file as a tab shows it. Changed only on the circuit's thread, by the list that owns it.</summary>
public sealed class FileCardModel(string key, string name, long size, string contentType)
{
    /// <summary>Unique within the tab: the browser's key while uploading, the file id once known.</summary>
    public string Key { get; } = key;

    /// <summary>Already cleaned (<see cref="FileNames.Clean"/>); shown as text.</summary>
    public string Name { get; } = name;

    public long Size { get; } = size;

    public string ContentType { get; } = contentType;

    public FileCardStatus Status { get; set; }

    public long Sent { get; set; }

    public Guid? FileId { get; set; }

    /// <summary>Shown when the file is a raster image whose bytes say so (the server decided).</summary>
    public bool HasPreview { get; set; }

    public string? Error { get; set; }

    public int Percent => Size <= 0 ? (Status == FileCardStatus.Uploading ? 0 : 100) : (int)Math.Clamp(Sent * 100 / Size, 0, 100);

    public static FileCardModel From(SharedFile file, bool mine) => new(file.Id.ToString("N"), file.Name, file.Size, file.ContentType)
    {
        FileId = file.Id,
        Status = mine ? FileCardStatus.Sent : FileCardStatus.Received,
        HasPreview = file.PreviewType is not null,
    };
}
