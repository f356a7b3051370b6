using HotDistance.Core.Crops;
using HotDistance.Core.Distances;
using HotDistance.Core.Threading;
using HotDistance.Core.Volumes;

namespace HotDistance.Core.Targets;

/// <summary>
/// Signed distance (nm) from each voxel centre to a class boundary that lies between voxels: positive inside,
/// negative outside. Inside voxels measure to the union of the closed cubes of the crop's absent voxels,
/// outside voxels to the union of the cubes of its present voxels.
/// </summary>
/// <remarks>
/// Choices: unknown voxels (255) are neither inside nor outside, so they create no boundary, and their own value
/// is 0 (their weight is 0 anyway). Only voxels in the crop count, so nothing beyond the crop edge is "opposite".
/// With no boundary in the crop (no present or no absent voxel) every known voxel gets -m (absent) or +m
/// (present), <c>m = min_i(shape_i * voxel_i / 2)</c>. Distances across a real boundary are not capped at m: they
/// are exact for what the crop shows, as in dacapo, and the distance mask decides whether they can be trusted.
/// Any label other than <see cref="LabelValues.Absent"/> and <see cref="LabelValues.Unknown"/> counts as present.
/// </remarks>
public static class SignedBoundaryDistance
{
    /// <summary>Signed distances in nm, same shape as <paramref name="labels"/>.</summary>
    /// <param name="maxDegreeOfParallelism">Most threads to use; -1 for no limit.</param>
    public static Volume<float> Compute(Volume<byte> labels, VoxelSize voxelSize, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (!voxelSize.IsValid)
        {
            throw new ArgumentException($"voxel size {voxelSize} must be positive and finite on every axis", nameof(voxelSize));
        }

        ParallelRanges.ValidateDegree(maxDegreeOfParallelism);
        var shape = labels.Shape;
        var data = labels.Data;
        var result = new float[data.Length];
        var (present, absent) = Count(data);
        if (present == 0 || absent == 0)
        {
            var m = (float)NoBoundaryDistance(shape, voxelSize);
            var valueIfPresent = absent == 0 ? m : 0f;
            for (var i = 0; i < data.Length; i++)
            {
                result[i] = data[i] switch
                {
                    LabelValues.Absent => -m,
                    LabelValues.Unknown => 0f,
                    _ => valueIfPresent,
                };
            }

            return new Volume<float>(shape, result);
        }

        var costs = new double[data.Length];
        FillSide(result, costs, data, shape, voxelSize, inside: true, maxDegreeOfParallelism);
        FillSide(result, costs, data, shape, voxelSize, inside: false, maxDegreeOfParallelism);
        return new Volume<float>(shape, result);
    }

    /// <summary>The stand-in distance for a class with no boundary in the crop: half its smallest extent in nm.</summary>
    public static double NoBoundaryDistance(Shape3 shape, VoxelSize voxelSize) =>
        Math.Min(shape.Z * voxelSize.Z, Math.Min(shape.Y * voxelSize.Y, shape.X * voxelSize.X)) / 2.0;

    private static (long Present, long Absent) Count(byte[] data)
    {
        long absent = 0;
        long unknown = 0;
        foreach (var label in data)
        {
            absent += label == LabelValues.Absent ? 1 : 0;
            unknown += label == LabelValues.Unknown ? 1 : 0;
        }

        return (data.LongLength - absent - unknown, absent);
    }

    private static bool IsPresent(byte label) => label is not LabelValues.Absent and not LabelValues.Unknown;

    /// <summary>Writes the distances of one side: inside voxels measure to the absent cubes and vice versa.</summary>
    private static void FillSide(
        float[] result,
        double[] costs,
        byte[] labels,
        Shape3 shape,
        VoxelSize voxelSize,
        bool inside,
        int maxDegreeOfParallelism)
    {
        ParallelRanges.For(costs.Length, maxDegreeOfParallelism, (start, end) =>
        {
            for (var i = start; i < end; i++)
            {
                var isOpposite = inside ? labels[i] == LabelValues.Absent : IsPresent(labels[i]);
                costs[i] = isOpposite ? 0.0 : double.PositiveInfinity;
            }
        });
        EuclideanDistanceTransform.TransformInPlace(costs, shape, voxelSize, FeatureGeometry.Cubes, maxDegreeOfParallelism);
        ParallelRanges.For(costs.Length, maxDegreeOfParallelism, (start, end) =>
        {
            for (var i = start; i < end; i++)
            {
                var label = labels[i];
                if (inside && IsPresent(label))
                {
                    result[i] = (float)Math.Sqrt(costs[i]);
                }
                else if (!inside && label == LabelValues.Absent)
                {
                    result[i] = -(float)Math.Sqrt(costs[i]);
                }
            }
        });
    }
}
