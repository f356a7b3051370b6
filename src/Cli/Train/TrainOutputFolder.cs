using System.Globalization;

namespace HotDistance.Cli.Train;

/// <summary>
/// Where an <c>hd train</c> run writes. Without --out, the newest run of the same command under
/// ./.hd/train is taken up again (so rerunning after Ctrl+C resumes), else a new &lt;variant&gt;-&lt;time&gt; folder
/// is made. With --out, a folder holding another run's record is refused rather than mixed with this one.
/// </summary>
public static class TrainOutputFolder
{
    /// <summary>The folder to train in, and whether it already holds this run.</summary>
    public static (string Directory, bool Existing) Choose(string? requested, TrainRunRecord record, string defaultRoot, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(defaultRoot);
        return requested is null ? ChooseDefault(record, defaultRoot, now) : CheckRequested(requested, record);
    }

    private static (string, bool) ChooseDefault(TrainRunRecord record, string root, DateTime now)
    {
        if (Directory.Exists(root))
        {
            var same = Directory.EnumerateDirectories(root, $"{record.Variant}-*")
                .OrderByDescending(d => d, StringComparer.Ordinal)
                .FirstOrDefault(d => TrainRunRecord.Read(d) is { } earlier && earlier.Differences(record).Count == 0);
            if (same is not null)
            {
                return (same, true);
            }
        }

        var stamp = now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var directory = Path.Combine(root, $"{record.Variant}-{stamp}");
        for (var n = 2; Directory.Exists(directory); n++)
        {
            directory = Path.Combine(root, string.Create(CultureInfo.InvariantCulture, $"{record.Variant}-{stamp}-{n}"));
        }

        return (directory, false);
    }

    private static (string, bool) CheckRequested(string directory, TrainRunRecord record)
    {
        if (File.Exists(directory))
        {
            throw new ArgumentException($"--out {directory} is a file; name a folder for the checkpoints");
        }

        if (!Directory.Exists(directory))
        {
            return (directory, false);
        }

        if (TrainRunRecord.Read(directory) is { } earlier)
        {
            var differences = earlier.Differences(record);
            return differences.Count == 0
                ? (directory, true)
                : throw new ArgumentException(
                    $"--out {directory} holds a run with other settings: {string.Join("; ", differences)}. Rerun with that run's settings to resume it, or choose another --out");
        }

        return Directory.EnumerateFileSystemEntries(directory).Any()
            ? throw new ArgumentException($"--out {directory} is not empty and holds no {TrainRunRecord.FileName}, so it is not an hd train output; choose a new or empty folder")
            : (directory, false);
    }
}
