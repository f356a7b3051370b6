using System.Text.Json;
using HotDistance.Core.IO;

namespace HotDistance.Ablation;

/// <summary>
/// The one reader and writer of a cell's result.json. Written whole or not at all, last of everything a cell does, so
/// its presence is what "finished" means; a file that does not read back (cut short, edited) counts as absent and the
/// cell is scored again from its trained model.
/// </summary>
public static class CellResultFile
{
    public const string FileName = "result.json";

    /// <summary>Written instead when a cell failed for good (it will not be retried), so whoever waits for it stops.</summary>
    public const string FailureFileName = "failed.json";

    public static string PathOf(string cellDirectory) => Path.Combine(cellDirectory, FileName);

    public static void Write(string cellDirectory, CellResult result) => AtomicFile.WriteJson(PathOf(cellDirectory), result);

    public static void WriteFailure(string cellDirectory, CellFailure failure) => AtomicFile.WriteJson(Path.Combine(cellDirectory, FailureFileName), failure);

    /// <summary>The cell's recorded failure, or null; an unreadable record reads as a failure without a reason.</summary>
    public static CellFailure? ReadFailure(string cellDirectory)
    {
        var path = Path.Combine(cellDirectory, FailureFileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return AtomicFile.ReadJson<CellFailure>(path) ?? new CellFailure(string.Empty, "the failure record is empty", DateTimeOffset.MinValue);
        }
        catch (JsonException)
        {
            return new CellFailure(string.Empty, "the failure record does not read", DateTimeOffset.MinValue);
        }
    }

    /// <summary>Forgets a recorded failure, before the cell is tried again.</summary>
    public static void ClearFailure(string cellDirectory) => File.Delete(Path.Combine(cellDirectory, FailureFileName));

    public static CellResult? Read(string cellDirectory)
    {
        var path = PathOf(cellDirectory);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var result = AtomicFile.ReadJson<CellResult>(path);
            return result is { Key: not null, Fingerprint: not null, Crops: not null, LossHistory: not null, PerClass: not null, Timings: not null } && double.IsFinite(result.Overall)
                ? result
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>Why a cell failed for good, and where.</summary>
public sealed record CellFailure(string Runner, string Reason, DateTimeOffset FailedAt);
