using System.Globalization;
using System.Text.Json.Nodes;
using HotDistance.Core.Crops;
using HotDistance.Core.Volumes;

namespace HotDistance.Core.Zarr;

/// <summary>
/// Reads ground truth from a Zarr group with one array per class (<c>&lt;group&gt;/mito</c>, or CellMap-style
/// <c>&lt;group&gt;/mito/s0</c>). Values follow CellMap: 0 absent, 1 present, 255 unknown in binary classes;
/// instance ids (0 background) otherwise, read by the rules of <see cref="CellMapCropReader"/>.
/// </summary>
public static class LabelGroupReader
{
    /// <summary>Group attribute that gives the voxel size (nm, z, y, x) when the classes carry no OME-NGFF metadata.</summary>
    public const string VoxelSizeAttribute = "voxel_size_nm";

    public static LabelGroup Read(string groupPath)
    {
        ArgumentNullException.ThrowIfNull(groupPath);
        if (!Directory.Exists(groupPath))
        {
            throw new ZarrFormatException(groupPath, ZarrGroup.GroupFileName, "is missing: the truth folder does not exist",
                "point at a CellMap dataset (<dataset>.zarr) or a Zarr v2 group that holds one array per class");
        }

        IReadOnlyList<string> classes = ClassArrayLocator.ListClasses(groupPath);
        if (classes.Count == 0)
        {
            throw new ZarrFormatException(groupPath, "arrays", "are missing: the group holds no class arrays",
                "store one array per annotated class, named after the class (e.g. <group>/mito with 0/1/255 values)");
        }

        var labels = new Dictionary<string, ClassLabels>(StringComparer.Ordinal);
        Shape3? shape = null;
        string? firstArray = null;
        VoxelSize? voxelSize = null;
        string? voxelSource = null;
        foreach (string className in classes)
        {
            ClassArrayLocator.Located located = ClassArrayLocator.Find(groupPath, className)!;
            ZarrArray array = located.Array;
            if (array.Rank != 3)
            {
                throw new ZarrFormatException(array.MetadataPath, "shape", $"has {array.Rank} dimensions for class '{className}'",
                    "store labels as 3-D (z, y, x) arrays");
            }

            if (shape is null)
            {
                shape = array.Shape3;
                firstArray = array.MetadataPath;
            }
            else if (array.Shape3 != shape)
            {
                throw new ZarrFormatException(array.MetadataPath, "shape",
                    $"is {array.Shape3} for class '{className}' but {firstArray} is {shape}",
                    "put every class of the truth on one voxel grid (same z, y, x shape)");
            }

            if (located.VoxelSize is { } classVoxel)
            {
                if (voxelSize is { } known && !CellMapCropReader.SameScale(known.ToArray(), classVoxel.ToArray()))
                {
                    throw new ZarrFormatException(Path.Combine(groupPath, className, ZarrGroup.AttributesFileName), "multiscales[0].datasets",
                        $"gives class '{className}' the voxel size {classVoxel} but {voxelSource} gives {known}",
                        "put every class of the truth on one voxel grid");
                }

                voxelSize = classVoxel;
                voxelSource = Path.Combine(groupPath, className, ZarrGroup.AttributesFileName);
            }

            labels[className] = CellMapCropReader.ReadClass(className, array);
        }

        return new LabelGroup(groupPath, shape!.Value, voxelSize ?? VoxelSizeFromAttributes(groupPath), labels);
    }

    private static VoxelSize? VoxelSizeFromAttributes(string groupPath)
    {
        JsonNode? node = ZarrGroup.ReadAttributes(groupPath)[VoxelSizeAttribute];
        if (node is null)
        {
            return null;
        }

        if (node is JsonArray { Count: 3 } values && values.All(v => v is JsonValue value && value.TryGetValue(out double _)))
        {
            var voxel = new VoxelSize(values[0]!.GetValue<double>(), values[1]!.GetValue<double>(), values[2]!.GetValue<double>());
            if (voxel.IsValid)
            {
                return voxel;
            }
        }

        throw new ZarrFormatException(Path.Combine(groupPath, ZarrGroup.AttributesFileName), VoxelSizeAttribute,
            string.Create(CultureInfo.InvariantCulture, $"is {node.ToJsonString()}"),
            "write the voxel size as three positive numbers in nm, [z, y, x]");
    }
}
