using System.Text.Json;
using System.Text.Json.Nodes;
using HotDistance.Core.Security;

namespace HotDistance.Ingest.Formats;

/// <summary>
/// crop.json, the sidecar of a TIFF crop: what TIFF files cannot say. Either one labels image with a value per
/// class, or one TIFF per class (CellMap encoding):
/// <code>
/// { "voxel_size": [8, 4, 4], "offset": [0, 0, 0], "raw": "raw.tif",
///   "labels": "labels.tif", "classes": { "mito": 1, "er": 2 }, "unknown": 255 }
/// { "voxel_size": [8, 4, 4], "labels": { "mito": "mito.tif", "er": "er.tif" } }
/// </code>
/// voxel_size and offset are nm in (z, y, x); offset, raw ("raw.tif"), unknown (255) and name (the folder's
/// name) are optional.
/// </summary>
internal sealed record TiffSidecar(
    string Path,
    string Name,
    double[] VoxelSizeNm,
    double[] OffsetNm,
    string RawFile,
    string? LabelsFile,
    IReadOnlyDictionary<string, ulong> ClassValues,
    IReadOnlyDictionary<string, string> ClassFiles,
    ulong UnknownValue)
{
    public const string FileName = "crop.json";

    public static TiffSidecar Read(string path)
    {
        var folder = System.IO.Path.GetDirectoryName(path)!;
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new CropFormatException(path, "(root)", "is not a JSON object", "write crop.json as an object with voxel_size, raw and labels");
        }
        catch (JsonException e)
        {
            throw new CropFormatException(path, "(root)", $"is not valid JSON ({e.Message})", "repair crop.json", e);
        }

        var voxelSize = Triple(root, "voxel_size", path)
            ?? throw new CropFormatException(path, "voxel_size", "is missing", "add \"voxel_size\": [z, y, x] in nm, e.g. [8, 4, 4]");
        var offset = Triple(root, "offset", path) ?? [0, 0, 0];
        var name = Text(root, "name", path) ?? System.IO.Path.GetFileName(folder);
        var raw = Inside(folder, Text(root, "raw", path) ?? "raw.tif", "raw", path);
        var unknown = root["unknown"] is null ? 255UL : Unsigned(root["unknown"], "unknown", path);

        var classValues = new Dictionary<string, ulong>(StringComparer.Ordinal);
        var classFiles = new Dictionary<string, string>(StringComparer.Ordinal);
        string? labelsFile = null;
        switch (root["labels"])
        {
            case JsonValue single when single.TryGetValue(out string? file):
                labelsFile = Inside(folder, file, "labels", path);
                if (root["classes"] is not JsonObject classes || classes.Count == 0)
                {
                    throw new CropFormatException(path, "classes", "is missing or empty",
                        "with one labels image, map each annotated class to its value, e.g. \"classes\": {\"mito\": 1, \"er\": 2}");
                }

                foreach (var (className, value) in classes)
                {
                    classValues[className] = Unsigned(value, $"classes.{className}", path);
                }

                break;
            case JsonObject perClass when perClass.Count > 0:
                foreach (var (className, value) in perClass)
                {
                    classFiles[className] = value is JsonValue v && v.TryGetValue(out string? file)
                        ? Inside(folder, file, $"labels.{className}", path)
                        : throw new CropFormatException(path, $"labels.{className}", $"is {value?.ToJsonString() ?? "null"}", "give the file name of the class's TIFF");
                }

                break;
            default:
                throw new CropFormatException(path, "labels", $"is {root["labels"]?.ToJsonString() ?? "missing"}",
                    "write \"labels\": \"labels.tif\" with \"classes\", or \"labels\": {\"<class>\": \"<class>.tif\", ...}");
        }

        return new TiffSidecar(path, name, voxelSize, offset, raw, labelsFile, classValues, classFiles, unknown);
    }

    /// <summary>A file the sidecar names, in the sidecar's own folder; a path that leads elsewhere is refused.</summary>
    private static string Inside(string folder, string file, string field, string sidecar) =>
        InputPaths.StaysInside(file)
            ? System.IO.Path.Combine(folder, file)
            : throw new CropFormatException(sidecar, field, $"is '{file}', which is not in the sidecar's folder", $"put the file beside crop.json and give its name ({InputPaths.Rule})");

    private static double[]? Triple(JsonObject root, string field, string path)
    {
        if (root[field] is null)
        {
            return null;
        }

        if (root[field] is JsonArray { Count: 3 } array && array.All(n => n is JsonValue v && v.TryGetValue(out double _)))
        {
            return array.Select(n => n!.GetValue<double>()).ToArray();
        }

        throw new CropFormatException(path, field, $"is {root[field]!.ToJsonString()}", "write three numbers in nm, (z, y, x) order, e.g. [8, 4, 4]");
    }

    private static string? Text(JsonObject root, string field, string path) =>
        root[field] switch
        {
            null => null,
            JsonValue v when v.TryGetValue(out string? text) => text,
            var other => throw new CropFormatException(path, field, $"is {other.ToJsonString()}", "write it as a JSON string"),
        };

    private static ulong Unsigned(JsonNode? node, string field, string path) =>
        node is JsonValue v && v.TryGetValue(out ulong value)
            ? value
            : throw new CropFormatException(path, field, $"is {node?.ToJsonString() ?? "null"}", "write a whole number >= 0");
}
