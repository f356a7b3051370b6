using HotDistance.Core.Distances;
using HotDistance.Core.Volumes;

namespace HotDistance.Bench.Edt;

/// <summary>
/// What scipy's <c>distance_transform_edt(mask, sampling)</c> returns, computed with the project's EDT: for every
/// voxel, the distance in nm (not squared) between its centre and the nearest background (0) voxel's centre;
/// 0 on background. The timing covers all of it: mask to features, the squared transform, the square root.
/// </summary>
internal static class EdtUnderTest
{
    public static double[] Distances(byte[] mask, Shape3 shape, VoxelSize voxelSize, int threads)
    {
        var background = new bool[mask.Length];
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
        var chunks = threads * 4;
        Parallel.For(0, chunks, options, chunk =>
        {
            var (start, end) = Range(mask.Length, chunks, chunk);
            for (var i = start; i < end; i++)
            {
                background[i] = mask[i] == 0;
            }
        });

        var distances = EuclideanDistanceTransform.Squared(
            new Volume<bool>(shape, background), voxelSize, FeatureGeometry.Centres, threads).Data;
        Parallel.For(0, chunks, options, chunk =>
        {
            var (start, end) = Range(distances.Length, chunks, chunk);
            for (var i = start; i < end; i++)
            {
                distances[i] = Math.Sqrt(distances[i]);
            }
        });

        return distances;
    }

    private static (int Start, int End) Range(int count, int chunks, int chunk) =>
        ((int)((long)count * chunk / chunks), (int)((long)count * (chunk + 1) / chunks));
}
