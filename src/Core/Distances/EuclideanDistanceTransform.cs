using HotDistance.Core.Threading;
using HotDistance.Core.Volumes;

namespace HotDistance.Core.Distances;

/// <summary>
/// Exact squared Euclidean distance transform with anisotropic voxel sizes (nm), separable along X, Y, Z with
/// the linear-time lower envelope of parabolas; lines of a pass are spread over threads.
/// </summary>
public static class EuclideanDistanceTransform
{
    /// <summary>
    /// Squared distance (nm^2) from every voxel centre to the nearest feature voxel (its centre or its cube, as
    /// <paramref name="geometry"/> says); +infinity everywhere when there is no feature voxel.
    /// </summary>
    /// <param name="maxDegreeOfParallelism">Most threads to use; -1 for no limit.</param>
    public static Volume<double> Squared(
        Volume<bool> features,
        VoxelSize voxelSize,
        FeatureGeometry geometry = FeatureGeometry.Centres,
        int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(features);
        ParallelRanges.ValidateDegree(maxDegreeOfParallelism);
        var costs = new double[features.Data.Length];
        var mask = features.Data;
        ParallelRanges.For(costs.Length, maxDegreeOfParallelism, (start, end) =>
        {
            for (var i = start; i < end; i++)
            {
                costs[i] = mask[i] ? 0.0 : double.PositiveInfinity;
            }
        });
        TransformInPlace(costs, features.Shape, voxelSize, geometry, maxDegreeOfParallelism);
        return new Volume<double>(features.Shape, costs);
    }

    /// <summary>
    /// Replaces each initial cost <c>f[q]</c> (0 at features, +infinity elsewhere, or any non-negative value) by
    /// <c>min_q f[q] + squared distance(p, q)</c>, the distance measured as <paramref name="geometry"/> says.
    /// </summary>
    /// <param name="costs">C-order (Z, Y, X) values; overwritten with the result.</param>
    /// <param name="maxDegreeOfParallelism">Most threads to use; -1 for no limit.</param>
    public static void TransformInPlace(
        double[] costs,
        Shape3 shape,
        VoxelSize voxelSize,
        FeatureGeometry geometry = FeatureGeometry.Centres,
        int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(costs);
        if (costs.LongLength != shape.Count)
        {
            throw new ArgumentException($"costs holds {costs.LongLength} values, shape {shape} needs {shape.Count}", nameof(costs));
        }

        if (!voxelSize.IsValid)
        {
            throw new ArgumentException($"voxel size {voxelSize} must be positive and finite on every axis", nameof(voxelSize));
        }

        ParallelRanges.ValidateDegree(maxDegreeOfParallelism);
        if (shape.Count == 0)
        {
            return;
        }

        // X first: it is contiguous, and after it most lines of the later passes are no longer all-infinite.
        for (var axis = 2; axis >= 0; axis--)
        {
            // A line of one voxel maps to itself under both geometries.
            if (shape[axis] > 1)
            {
                TransformAxis(costs, shape, axis, voxelSize[axis], geometry, maxDegreeOfParallelism);
            }
        }
    }

    private static void TransformAxis(double[] costs, Shape3 shape, int axis, double spacing, FeatureGeometry geometry, int maxDegreeOfParallelism)
    {
        var length = shape[axis];
        var planeSize = shape.Y * shape.X;
        var stride = axis switch
        {
            0 => planeSize,
            1 => shape.X,
            _ => 1,
        };
        var lines = (int)(shape.Count / length);
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        Parallel.For(
            0,
            lines,
            options,
            () => new LineScratch(length),
            (line, _, scratch) =>
            {
                // Consecutive line numbers are neighbours in memory, so a thread's chunk of a strided pass still
                // reuses the cache lines it loads.
                var first = axis switch
                {
                    0 => line,
                    1 => ((line / shape.X) * planeSize) + (line % shape.X),
                    _ => line * shape.X,
                };
                var input = scratch.Input;
                var anyFinite = false;
                var allZero = true;
                var binary = true;
                for (int i = 0, at = first; i < length; i++, at += stride)
                {
                    var value = costs[at];
                    input[i] = value;
                    var infinite = double.IsPositiveInfinity(value);
                    anyFinite |= !infinite;
                    allZero &= value == 0.0;
                    binary &= infinite || value == 0.0;
                }

                // Lines with no feature, or all features, come out as they went in; inside big objects and
                // far from them most lines are one or the other.
                if (!anyFinite || allZero)
                {
                    return scratch;
                }

                if (binary)
                {
                    LowerEnvelope.TransformBinary(length, spacing, geometry, scratch);
                }
                else
                {
                    LowerEnvelope.Transform(length, spacing, geometry, scratch);
                }
                var output = scratch.Output;
                for (int i = 0, at = first; i < length; i++, at += stride)
                {
                    costs[at] = output[i];
                }

                return scratch;
            },
            static _ => { });
    }
}
