using HotDistance.Core.Distances;
using HotDistance.Core.Volumes;

namespace HotDistance.Core.Metrics;

/// <summary>
/// Symmetric Hausdorff distance in nm between two voxel sets: the larger of the two directed distances, each the
/// farthest any voxel centre of one set lies from the nearest voxel centre of the other. Computed exactly with
/// <see cref="EuclideanDistanceTransform"/> inside the bounding box of both sets (a nearest voxel of a set always
/// lies inside that set's box, so cropping changes nothing).
/// </summary>
public static class HausdorffDistance
{
    /// <summary>Between the nonzero voxels of <paramref name="a"/> and of <paramref name="b"/>; 0 if both are empty, +inf if one is.</summary>
    public static double Between(Volume<byte> a, Volume<byte> b, VoxelSize voxelSize)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Shape != b.Shape)
        {
            throw new ArgumentException($"a is {a.Shape} but b is {b.Shape}; they must match", nameof(b));
        }

        var ids = new uint[a.Data.Length];
        var otherIds = new uint[b.Data.Length];
        var box = VoxelBox.Empty;
        var shape = a.Shape;
        for (var z = 0; z < shape.Z; z++)
        {
            for (var y = 0; y < shape.Y; y++)
            {
                for (var x = 0; x < shape.X; x++)
                {
                    var i = shape.Index(z, y, x);
                    ids[i] = a.Data[i] != 0 ? 1u : 0u;
                    otherIds[i] = b.Data[i] != 0 ? 1u : 0u;
                    if (ids[i] != 0 || otherIds[i] != 0)
                    {
                        box = box.Include(z, y, x);
                    }
                }
            }
        }

        return box.IsEmpty ? 0.0 : BetweenLabels(ids, 1, otherIds, 1, shape, box, voxelSize);
    }

    /// <summary>
    /// Between voxels labelled <paramref name="idA"/> in <paramref name="labelsA"/> and voxels labelled
    /// <paramref name="idB"/> in <paramref name="labelsB"/>; <paramref name="box"/> must hold both sets.
    /// </summary>
    internal static double BetweenLabels(uint[] labelsA, uint idA, uint[] labelsB, uint idB, Shape3 shape, VoxelBox box, VoxelSize voxelSize)
    {
        var local = new Shape3(box.Z1 - box.Z0, box.Y1 - box.Y0, box.X1 - box.X0);
        var inA = new bool[local.Count];
        var inB = new bool[local.Count];
        bool anyA = false, anyB = false;
        var j = 0;
        for (var z = box.Z0; z < box.Z1; z++)
        {
            for (var y = box.Y0; y < box.Y1; y++)
            {
                var i = shape.Index(z, y, box.X0);
                for (var x = box.X0; x < box.X1; x++, i++, j++)
                {
                    inA[j] = labelsA[i] == idA;
                    inB[j] = labelsB[i] == idB;
                    anyA |= inA[j];
                    anyB |= inB[j];
                }
            }
        }

        if (!anyA && !anyB)
        {
            return 0.0;
        }

        if (!anyA || !anyB)
        {
            return double.PositiveInfinity;
        }

        var distances = new double[local.Count];
        var fromAToB = Directed(inA, inB, distances, local, voxelSize);
        var fromBToA = Directed(inB, inA, distances, local, voxelSize);
        return Math.Sqrt(Math.Max(fromAToB, fromBToA));
    }

    /// <summary>Largest squared distance from a voxel of <paramref name="from"/> to the nearest voxel of <paramref name="to"/>.</summary>
    private static double Directed(bool[] from, bool[] to, double[] scratch, Shape3 shape, VoxelSize voxelSize)
    {
        for (var i = 0; i < scratch.Length; i++)
        {
            scratch[i] = to[i] ? 0.0 : double.PositiveInfinity;
        }

        // One thread: the instance evaluator already measures its matched pairs in parallel.
        EuclideanDistanceTransform.TransformInPlace(scratch, shape, voxelSize, FeatureGeometry.Centres, maxDegreeOfParallelism: 1);
        var farthest = 0.0;
        for (var i = 0; i < scratch.Length; i++)
        {
            if (from[i] && scratch[i] > farthest)
            {
                farthest = scratch[i];
            }
        }

        return farthest;
    }
}
