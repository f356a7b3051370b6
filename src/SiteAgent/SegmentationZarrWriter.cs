using System.Text.Json.Nodes;
using HotDistance.Core.Volumes;
using HotDistance.Core.Zarr;

namespace HotDistance.SiteAgent;

/// <summary>
/// Writes a segmentation as OME-Zarr (Zarr v2, OME-NGFF 0.4) that napari and neuroglancer open:
/// <c>semantic/&lt;class&gt;</c> holds each class's mask (uint8, 1 inside) and <c>instances/&lt;class&gt;</c> the
/// instance ids of instance classes (uint32, 0 background), each a multiscale group with one level <c>s0</c>
/// carrying the voxel size and offset in nanometres. The root's .zattrs says which model made it. The whole
/// output is written under a temporary name and renamed into place, so a reader never sees half of it.
/// </summary>
public static class SegmentationZarrWriter
{
    public const string SemanticGroup = "semantic";
    public const string InstancesGroup = "instances";
    public const string ProvenanceAttribute = "hotdistance";

    private const int ChunkEdge = 64;

    /// <summary>Writes <paramref name="segmentation"/> to <paramref name="path"/>, replacing it when <paramref name="overwrite"/>.</summary>
    public static void Write(
        string path,
        ModelSegmentation segmentation,
        VoxelSize voxelSize,
        IReadOnlyList<double> offsetNm,
        JsonObject provenance,
        bool overwrite)
    {
        ArgumentNullException.ThrowIfNull(segmentation);
        ArgumentNullException.ThrowIfNull(provenance);
        var final = Path.GetFullPath(path);
        if (Directory.Exists(final) && !overwrite)
        {
            throw new IOException($"{final} exists; choose another --output or pass --force to replace it");
        }

        var parent = Path.GetDirectoryName(final)!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(final)}.{Guid.NewGuid():N}.tmp");
        try
        {
            ZarrGroup.Create(staging);
            var attributes = ZarrGroup.ReadAttributes(staging);
            attributes[ProvenanceAttribute] = provenance.DeepClone();
            ZarrGroup.WriteAttributes(staging, attributes);
            var semantic = Path.Combine(staging, SemanticGroup);
            var instances = Path.Combine(staging, InstancesGroup);
            ZarrGroup.Create(semantic);
            foreach (var className in segmentation.ClassOrder)
            {
                var prediction = segmentation.Classes[className];
                WriteLevel(Path.Combine(semantic, className), className, prediction.Mask, voxelSize, offsetNm);
                if (prediction.Instances is { } ids)
                {
                    ZarrGroup.Create(instances);
                    WriteLevel(Path.Combine(instances, className), className, ids, voxelSize, offsetNm);
                }
            }

            if (Directory.Exists(final))
            {
                Directory.Delete(final, recursive: true);
            }

            Directory.Move(staging, final);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private static void WriteLevel<T>(string group, string name, Volume<T> volume, VoxelSize voxelSize, IReadOnlyList<double> offsetNm)
        where T : unmanaged, System.Numerics.INumberBase<T>
    {
        var shape = volume.Shape;
        ZarrGroup.Create(group);
        ZarrArray.Create<T>(
            Path.Combine(group, "s0"),
            [shape.Z, shape.Y, shape.X],
            [Math.Min(ChunkEdge, shape.Z), Math.Min(ChunkEdge, shape.Y), Math.Min(ChunkEdge, shape.X)])
            .Write3D(volume);
        OmeNgff.WriteMultiscale(group, new OmeMultiscale(name, OmeAxis.SpatialZyx, [OmeScaleLevel.Create("s0", voxelSize, offsetNm)]));
    }
}
