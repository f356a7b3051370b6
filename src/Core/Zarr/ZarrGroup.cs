using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HotDistance.Core.IO;

namespace HotDistance.Core.Zarr;

/// <summary>Zarr v2 groups (.zgroup) and attributes (.zattrs) of groups and arrays.</summary>
public static class ZarrGroup
{
    public const string GroupFileName = ".zgroup";
    public const string AttributesFileName = ".zattrs";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, IndentSize = 4 };

    public static bool Exists(string path) => File.Exists(Path.Combine(path, GroupFileName));

    /// <summary>Makes <paramref name="path"/> a group (creating the directory); an existing group is left as is.</summary>
    public static void Create(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (ZarrArray.Exists(path))
        {
            throw new ZarrFormatException(Path.Combine(path, ZarrArray.MetadataFileName), ZarrArray.MetadataFileName,
                "exists: the path is an array", "choose another path for the group");
        }

        if (!Exists(path))
        {
            AtomicFile.Write(Path.Combine(path, GroupFileName), Encoding.UTF8.GetBytes("{\n    \"zarr_format\": 2\n}"));
        }
    }

    /// <summary>Creates every group from <paramref name="root"/> down to <paramref name="path"/> (both included).</summary>
    public static void CreateAll(string root, string path)
    {
        string fullRoot = Path.GetFullPath(root);
        string relative = Path.GetRelativePath(fullRoot, Path.GetFullPath(path));
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            throw new ArgumentException($"{path} is not inside {root}", nameof(path));
        }

        string current = fullRoot;
        Create(current);
        if (relative == ".")
        {
            return;
        }

        foreach (string part in relative.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            Create(current);
        }
    }

    /// <summary>The .zattrs object of a group or array; empty when the file is absent.</summary>
    public static JsonObject ReadAttributes(string path)
    {
        string file = Path.Combine(path, AttributesFileName);
        if (!File.Exists(file))
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(File.ReadAllText(file)) as JsonObject
                ?? throw new ZarrFormatException(file, "(root)", "is not a JSON object", "write .zattrs as a JSON object");
        }
        catch (JsonException e)
        {
            throw new ZarrFormatException(file, "(root)", $"is not valid JSON ({e.Message})", "repair or rewrite the file", e);
        }
    }

    /// <summary>Replaces the .zattrs of a group or array (atomically).</summary>
    public static void WriteAttributes(string path, JsonObject attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        AtomicFile.Write(Path.Combine(path, AttributesFileName), Encoding.UTF8.GetBytes(attributes.ToJsonString(Indented)));
    }

    /// <summary>Names of the direct children that are groups or arrays, in ordinal order.</summary>
    public static IReadOnlyList<string> ListChildren(string path)
    {
        if (!Directory.Exists(path))
        {
            return [];
        }

        return Directory.EnumerateDirectories(path)
            .Where(d => Exists(d) || ZarrArray.Exists(d))
            .Select(d => Path.GetFileName(d))
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
