using System.Globalization;
using System.Text.Json.Nodes;
using HotDistance.Core.Security;

namespace HotDistance.Core.Zarr;

/// <summary>
/// Reads and writes OME-NGFF 0.4 "multiscales" metadata in a group's .zattrs. Values are converted to
/// nanometres using each space axis's unit (no unit is taken as nanometres).
/// </summary>
public static class OmeNgff
{
    public const string Version = "0.4";

    /// <summary>Whether the group's .zattrs has a "multiscales" entry.</summary>
    public static bool HasMultiscale(string groupPath) => ZarrGroup.ReadAttributes(groupPath)["multiscales"] is JsonArray;

    /// <summary>Reads multiscales[0] of the group at <paramref name="groupPath"/>.</summary>
    public static OmeMultiscale ReadMultiscale(string groupPath)
    {
        string file = Path.Combine(groupPath, ZarrGroup.AttributesFileName);
        JsonObject attributes = ZarrGroup.ReadAttributes(groupPath);
        if (attributes["multiscales"] is not JsonArray { Count: > 0 } list || list[0] is not JsonObject multiscale)
        {
            throw new ZarrFormatException(file, "multiscales", "is missing or empty",
                "add OME-NGFF 0.4 multiscales metadata: datasets with path and coordinateTransformations (scale in nm, translation in nm)");
        }

        string? name = multiscale["name"] is JsonValue n && n.TryGetValue(out string? text) ? text : null;
        List<OmeAxis>? axes = multiscale["axes"] is JsonArray axisList ? ReadAxes(axisList, file) : null;

        if (multiscale["datasets"] is not JsonArray { Count: > 0 } datasets)
        {
            throw new ZarrFormatException(file, "multiscales[0].datasets", "is missing or empty",
                "list one entry per scale level: {\"path\": \"s0\", \"coordinateTransformations\": [...]}");
        }

        (double[]? globalScale, double[]? globalTranslation) = multiscale["coordinateTransformations"] is JsonArray global
            ? ReadTransforms(global, file, "multiscales[0].coordinateTransformations", requireScale: false)
            : (null, null);

        var levels = new List<OmeScaleLevel>(datasets.Count);
        for (int i = 0; i < datasets.Count; i++)
        {
            string field = string.Create(CultureInfo.InvariantCulture, $"multiscales[0].datasets[{i}]");
            if (datasets[i] is not JsonObject dataset || dataset["path"] is not JsonValue p || !p.TryGetValue(out string? path))
            {
                throw new ZarrFormatException(file, field + ".path", "is missing", "give each dataset the path of its array, e.g. \"s0\"");
            }

            if (!InputPaths.StaysInside(path))
            {
                throw new ZarrFormatException(file, field + ".path", $"is '{path}', which is not inside its group", $"give the path of an array in the group, e.g. \"s0\" ({InputPaths.Rule})");
            }

            if (dataset["coordinateTransformations"] is not JsonArray transforms)
            {
                throw new ZarrFormatException(file, field + ".coordinateTransformations", "is missing (no voxel size)",
                    "add [{\"type\": \"scale\", \"scale\": [z, y, x]}, {\"type\": \"translation\", \"translation\": [z, y, x]}] in nm");
            }

            (double[]? scale, double[]? translation) = ReadTransforms(transforms, file, field + ".coordinateTransformations", requireScale: true);
            int rank = scale!.Length;
            translation ??= new double[rank];
            if (translation.Length != rank || (axes is not null && axes.Count != rank))
            {
                throw new ZarrFormatException(file, field + ".coordinateTransformations",
                    $"has {rank} scale values, {translation.Length} translation values and {axes?.Count ?? rank} axes",
                    "give one value per axis in every transform");
            }

            for (int d = 0; d < rank; d++)
            {
                if (globalScale is not null)
                {
                    translation[d] *= globalScale[d];
                    scale[d] *= globalScale[d];
                }

                if (globalTranslation is not null)
                {
                    translation[d] += globalTranslation[d];
                }

                double toNm = axes is null ? 1 : UnitToNanometres(axes[d], file);
                scale[d] *= toNm;
                translation[d] *= toNm;
                if (!(scale[d] > 0) || !double.IsFinite(scale[d]) || !double.IsFinite(translation[d]))
                {
                    throw new ZarrFormatException(file, field + ".coordinateTransformations",
                        $"has scale [{Join(scale)}] and translation [{Join(translation)}]",
                        "scales must be positive and all values finite (scale is the voxel size)");
                }
            }

            levels.Add(new OmeScaleLevel(path!, scale, translation));
        }

        return new OmeMultiscale(name, axes ?? DefaultAxes(levels[0].ScaleNm.Count), levels);
    }

    /// <summary>
    /// Writes <paramref name="multiscale"/> as multiscales[0] of the group's .zattrs, keeping its other
    /// attributes, and makes the path a group if it is not one yet.
    /// </summary>
    public static void WriteMultiscale(string groupPath, OmeMultiscale multiscale)
    {
        ArgumentNullException.ThrowIfNull(multiscale);
        string file = Path.Combine(groupPath, ZarrGroup.AttributesFileName);
        var datasets = new JsonArray();
        foreach (OmeScaleLevel level in multiscale.Levels)
        {
            if (level.ScaleNm.Count != multiscale.Axes.Count || level.TranslationNm.Count != multiscale.Axes.Count)
            {
                throw new ArgumentException($"level '{level.Path}' does not have one scale and translation value per axis", nameof(multiscale));
            }

            double[] factor = multiscale.Axes.Select(a => UnitToNanometres(a, file)).ToArray();
            datasets.Add(new JsonObject
            {
                ["path"] = level.Path,
                ["coordinateTransformations"] = new JsonArray(
                    new JsonObject { ["type"] = "scale", ["scale"] = Numbers(level.ScaleNm.Select((v, d) => v / factor[d])) },
                    new JsonObject { ["type"] = "translation", ["translation"] = Numbers(level.TranslationNm.Select((v, d) => v / factor[d])) }),
            });
        }

        var axes = new JsonArray();
        foreach (OmeAxis axis in multiscale.Axes)
        {
            var node = new JsonObject { ["name"] = axis.Name };
            if (axis.Type is not null)
            {
                node["type"] = axis.Type;
            }

            if (axis.Unit is not null)
            {
                node["unit"] = axis.Unit;
            }

            axes.Add(node);
        }

        var entry = new JsonObject { ["version"] = Version };
        if (multiscale.Name is not null)
        {
            entry["name"] = multiscale.Name;
        }

        entry["axes"] = axes;
        entry["datasets"] = datasets;

        ZarrGroup.Create(groupPath);
        JsonObject attributes = ZarrGroup.ReadAttributes(groupPath);
        attributes["multiscales"] = new JsonArray(entry);
        ZarrGroup.WriteAttributes(groupPath, attributes);
    }

    private static List<OmeAxis> ReadAxes(JsonArray list, string file)
    {
        var axes = new List<OmeAxis>(list.Count);
        foreach (JsonNode? node in list)
        {
            switch (node)
            {
                case JsonValue v when v.TryGetValue(out string? bare):
                    axes.Add(new OmeAxis(bare!, null, null)); // OME-NGFF 0.3 wrote plain axis names
                    break;
                case JsonObject o when o["name"] is JsonValue nv && nv.TryGetValue(out string? axisName):
                    axes.Add(new OmeAxis(axisName!, OptionalString(o, "type"), OptionalString(o, "unit")));
                    break;
                default:
                    throw new ZarrFormatException(file, "multiscales[0].axes", $"has entry {node?.ToJsonString() ?? "null"}",
                        "write each axis as {\"name\": \"z\", \"type\": \"space\", \"unit\": \"nanometer\"}");
            }
        }

        return axes;
    }

    private static (double[]? Scale, double[]? Translation) ReadTransforms(JsonArray transforms, string file, string field, bool requireScale)
    {
        double[]? scale = null;
        double[]? translation = null;
        foreach (JsonNode? node in transforms)
        {
            string? type = node is JsonObject o ? OptionalString(o, "type") : null;
            switch (type)
            {
                case "scale":
                    scale = ReadNumbers(node!["scale"], file, field + ".scale");
                    break;
                case "translation":
                    translation = ReadNumbers(node!["translation"], file, field + ".translation");
                    break;
                case "identity":
                    break;
                default:
                    throw new ZarrFormatException(file, field, $"has transform {node?.ToJsonString() ?? "null"}",
                        "use only {\"type\": \"scale\", \"scale\": [...]} and {\"type\": \"translation\", \"translation\": [...]} with inline values");
            }
        }

        if (requireScale && scale is null)
        {
            throw new ZarrFormatException(file, field, "has no scale transform (missing voxel size)",
                "add {\"type\": \"scale\", \"scale\": [z, y, x]} with the voxel size in nm");
        }

        return (scale, translation);
    }

    private static double[] ReadNumbers(JsonNode? node, string file, string field)
    {
        if (node is JsonArray array && array.All(n => n is JsonValue v && v.TryGetValue(out double _)))
        {
            return array.Select(n => n!.GetValue<double>()).ToArray();
        }

        throw new ZarrFormatException(file, field, $"is {node?.ToJsonString() ?? "missing"}",
            "write it inline as a JSON array of numbers, one per axis");
    }

    private static double UnitToNanometres(OmeAxis axis, string file)
    {
        if (axis.Type is not (null or "space"))
        {
            return 1; // time and channel axes keep their own units
        }

        return axis.Unit switch
        {
            null or "nanometer" or "nm" => 1,
            "angstrom" => 0.1,
            "picometer" => 1e-3,
            "micrometer" or "micron" or "um" => 1e3,
            "millimeter" or "mm" => 1e6,
            "meter" or "m" => 1e9,
            _ => throw new ZarrFormatException(file, "multiscales[0].axes", $"gives axis '{axis.Name}' the unit '{axis.Unit}'",
                "use nanometer, micrometer, angstrom, picometer, millimeter or meter"),
        };
    }

    private static List<OmeAxis> DefaultAxes(int rank) =>
        rank == 3 ? [.. OmeAxis.SpatialZyx] : Enumerable.Range(0, rank).Select(d => new OmeAxis("dim" + d.ToString(CultureInfo.InvariantCulture), "space", null)).ToList();

    private static string? OptionalString(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    private static JsonArray Numbers(IEnumerable<double> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);

    private static string Join(double[] values) => string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture)));
}
