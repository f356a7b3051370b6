using System.Globalization;
using System.Text;
using System.Text.Json;
using HotDistance.Core.IO;
using HotDistance.Core.Workspace;
using HotDistance.Ingest.Formats;

namespace HotDistance.Ingest;

/// <summary>
/// Where rejected crops go: <c>quarantine/&lt;name&gt;-&lt;UTC timestamp&gt;/</c> holding a copy of what was
/// rejected, <c>reason.txt</c> (one problem per line) and <c>reason.json</c>. The folder is assembled under a
/// dot-name and renamed into place, so a quarantine folder is always complete. The source itself is left alone.
/// A copy never follows a link and never exceeds <see cref="IngestSettings.QuarantineCopyLimitBytes"/>: what is
/// larger (a whole disk handed to <c>hd ingest</c> by mistake, a dataset's raw) gets only its metadata files
/// copied (Zarr's .zarray/.zattrs/.zgroup, JSON sidecars), with a note saying so.
/// </summary>
public sealed class Quarantine(WorkspaceLayout workspace, IngestSettings settings)
{
    public const string ReasonText = "reason.txt";
    public const string ReasonJson = "reason.json";

    /// <summary>The most characters of a rejected input's name that its quarantine folder's name keeps.</summary>
    public const int MaxNameLength = 96;

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Put(string source, string name, IReadOnlyList<string> reasons, QuarantineCopy copy, DateTimeOffset rejectedAt)
    {
        ArgumentNullException.ThrowIfNull(reasons);
        ArgumentNullException.ThrowIfNull(copy);
        Directory.CreateDirectory(workspace.Quarantine);
        var stamp = rejectedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
        var baseName = $"{Safe(name)}-{stamp}";
        var folder = Path.Combine(workspace.Quarantine, baseName);
        for (var n = 2; Directory.Exists(folder); n++)
        {
            folder = Path.Combine(workspace.Quarantine, $"{baseName}-{n}");
        }

        var staging = Path.Combine(workspace.Quarantine, $".{Path.GetFileName(folder)}.{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(staging);
            var copied = new List<string>();
            string? leftOut = copy.LeftOut;
            var size = copy.Items.Sum(item => SizeOf(item.Source, settings.QuarantineCopyLimitBytes));
            var metadataOnly = size > settings.QuarantineCopyLimitBytes;
            if (metadataOnly)
            {
                leftOut = $"{leftOut}{(leftOut is null ? string.Empty : "; ")}the input holds more than the {settings.QuarantineCopyLimitBytes >> 20} MiB quarantine copy limit (IngestSettings.QuarantineCopyLimitBytes): only its metadata files were copied";
            }

            foreach (var (item, relative) in copy.Items)
            {
                var target = Path.Combine(staging, relative);
                try
                {
                    if (new FileInfo(item).LinkTarget is not null)
                    {
                        // Never follow a link out of the input (ingest refuses such input before; this is the last line).
                        continue;
                    }

                    if (Directory.Exists(item))
                    {
                        CopyDirectory(item, target, metadataOnly);
                    }
                    else if (File.Exists(item) && (!metadataOnly || IsMetadata(item)))
                    {
                        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                        File.Copy(item, target);
                    }
                    else
                    {
                        continue;
                    }

                    copied.Add(relative);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // The reason matters more than the copy: keep the record even when the source cannot be copied.
                    leftOut = $"{leftOut}{(leftOut is null ? string.Empty : "; ")}{item} could not be copied: {e.Message}";
                }
            }

            var text = new StringBuilder();
            text.AppendLine(CultureInfo.InvariantCulture, $"rejected: {source}");
            text.AppendLine(CultureInfo.InvariantCulture, $"at: {rejectedAt:O}");
            foreach (var reason in reasons)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {reason}");
            }

            if (leftOut is not null)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"not copied: {leftOut}");
            }

            AtomicFile.Write(Path.Combine(staging, ReasonText), Encoding.UTF8.GetBytes(text.ToString()));
            var record = new QuarantineRecord(source, name, string.Join(Environment.NewLine, reasons), reasons, rejectedAt, copied, leftOut);
            AtomicFile.Write(Path.Combine(staging, ReasonJson), JsonSerializer.SerializeToUtf8Bytes(record, JsonOptions));
            Directory.Move(staging, folder);
            return folder;
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private static string Safe(string name)
    {
        var safe = new StringBuilder();
        foreach (var c in name)
        {
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-');
        }

        // A folder name has 255 bytes; input names can use them all, and a dataset's name joins its crop's.
        var result = safe.ToString().Trim('-', '.');
        result = result.Length > MaxNameLength ? result[..MaxNameLength].TrimEnd('-', '.') : result;
        return result.Length == 0 ? "crop" : result;
    }

    /// <summary>Copies a folder's own files (or only its metadata files) and folders; links are left out, never followed.</summary>
    private static void CopyDirectory(string source, string target, bool metadataOnly)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source).Where(f => new FileInfo(f).LinkTarget is null && (!metadataOnly || IsMetadata(f))))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.EnumerateDirectories(source).Where(d => new DirectoryInfo(d).LinkTarget is null))
        {
            CopyDirectory(directory, Path.Combine(target, Path.GetFileName(directory)), metadataOnly);
        }
    }

    private static bool IsMetadata(string file) =>
        Path.GetFileName(file) is ".zarray" or ".zattrs" or ".zgroup" or ".zmetadata"
        || file.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    /// <summary>The bytes of the regular files at or under <paramref name="path"/>, links not followed; counting stops past <paramref name="limit"/>.</summary>
    private static long SizeOf(string path, long limit)
    {
        if (File.Exists(path))
        {
            return new FileInfo(path).Length;
        }

        if (!Directory.Exists(path))
        {
            return 0;
        }

        long total = 0;
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        foreach (var file in new DirectoryInfo(path).EnumerateFiles("*", options))
        {
            total += file.Length;
            if (total > limit)
            {
                break;
            }
        }

        return total;
    }
}

/// <summary>reason.json of a quarantine folder.</summary>
public sealed record QuarantineRecord(
    string Source,
    string Name,
    string Reason,
    IReadOnlyList<string> Reasons,
    DateTimeOffset RejectedAt,
    IReadOnlyList<string> Copied,
    string? LeftOut);
