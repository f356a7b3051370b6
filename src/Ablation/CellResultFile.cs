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

    public static string PathOf(string cellDirectory) => Path.Combine(cellDirectory, FileName);

    public static void Write(string cellDirectory, CellResult result) => AtomicFile.WriteJson(PathOf(cellDirectory), result);

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
