using HotDistance.Core.Crops;
using HotDistance.Core.Distances;
using HotDistance.Core.Threading;
using HotDistance.Core.Volumes;

namespace HotDistance.Core.Targets;

/// <summary>
/// Distance (nm, between voxel centres) from each voxel to the nearest place where the crop stops telling the
/// truth: a voxel just outside the crop (the crop padded by one voxel) or an unknown voxel. The distance mask
/// compares a voxel's |target distance| with this.
/// </summary>
public static class KnownRegionDistance
{
    /// <summary>Distances in nm, same shape as <paramref name="labels"/>; 0 on unknown voxels.</summary>
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

        // The padded frame is a feature set whose EDT is closed-form: the nearest frame voxel of p is p pushed
        // straight out through the nearest face. The EDT to frame-or-unknown is the smaller of the two EDTs.
        double[]? toUnknown = null;
        if (Array.IndexOf(data, LabelValues.Unknown) >= 0)
        {
            toUnknown = new double[data.Length];
            for (var i = 0; i < data.Length; i++)
            {
                toUnknown[i] = data[i] == LabelValues.Unknown ? 0.0 : double.PositiveInfinity;
            }

            EuclideanDistanceTransform.TransformInPlace(toUnknown, shape, voxelSize, FeatureGeometry.Centres, maxDegreeOfParallelism);
        }

        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        Parallel.For(0, shape.Z, options, z =>
        {
            var toFrameZ = ToFrame(z, shape.Z, voxelSize.Z);
            for (var y = 0; y < shape.Y; y++)
            {
                var toFrameZy = Math.Min(toFrameZ, ToFrame(y, shape.Y, voxelSize.Y));
                var row = shape.Index(z, y, 0);
                for (var x = 0; x < shape.X; x++)
                {
                    var edge = Math.Min(toFrameZy, ToFrame(x, shape.X, voxelSize.X));
                    var squared = edge * edge;
                    if (toUnknown is not null)
                    {
                        squared = Math.Min(squared, toUnknown[row + x]);
                    }

                    result[row + x] = (float)Math.Sqrt(squared);
                }
            }
        });
        return new Volume<float>(shape, result);
    }

    private static double ToFrame(int position, int length, double spacing) =>
        Math.Min(position + 1, length - position) * spacing;
}
