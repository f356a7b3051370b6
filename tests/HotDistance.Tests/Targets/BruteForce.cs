using HotDistance.Core.Crops;
using HotDistance.Core.Volumes;

namespace HotDistance.Tests.Targets;

/// <summary>Definitions, computed the slow obvious way, that the fast transforms must reproduce.</summary>
internal static class BruteForce
{
    public static double SquaredToCentres(VoxelSize v, int z, int y, int x, int qz, int qy, int qx) =>
        Sq((z - qz) * v.Z) + Sq((y - qy) * v.Y) + Sq((x - qx) * v.X);

    /// <summary>Squared distance from the centre of voxel (z, y, x) to the closed cube of voxel (qz, qy, qx).</summary>
    public static double SquaredToCube(VoxelSize v, int z, int y, int x, int qz, int qy, int qx) =>
        Sq(Gap(z - qz) * v.Z) + Sq(Gap(y - qy) * v.Y) + Sq(Gap(x - qx) * v.X);

    public static double[] SquaredEdt(Volume<bool> features, VoxelSize v, bool cubes)
    {
        var shape = features.Shape;
        var result = new double[shape.Count];
        for (var z = 0; z < shape.Z; z++)
        {
            for (var y = 0; y < shape.Y; y++)
            {
                for (var x = 0; x < shape.X; x++)
                {
                    var best = double.PositiveInfinity;
                    ForEachVoxel(shape, (qz, qy, qx) =>
                    {
                        if (features[qz, qy, qx])
                        {
                            var d = cubes
                                ? SquaredToCube(v, z, y, x, qz, qy, qx)
                                : SquaredToCentres(v, z, y, x, qz, qy, qx);
                            best = Math.Min(best, d);
                        }
                    });
                    result[shape.Index(z, y, x)] = best;
                }
            }
        }

        return result;
    }

    /// <summary>The signed boundary distance straight from its definition (cubes of the opposite voxels).</summary>
    public static double[] SignedDistance(Volume<byte> labels, VoxelSize v)
    {
        var shape = labels.Shape;
        var present = new Volume<bool>(shape);
        var absent = new Volume<bool>(shape);
        for (var i = 0; i < labels.Data.Length; i++)
        {
            present.Data[i] = labels.Data[i] is not LabelValues.Absent and not LabelValues.Unknown;
            absent.Data[i] = labels.Data[i] == LabelValues.Absent;
        }

        var toAbsent = SquaredEdt(absent, v, cubes: true);
        var toPresent = SquaredEdt(present, v, cubes: true);
        var result = new double[shape.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = present.Data[i] ? Math.Sqrt(toAbsent[i]) : absent.Data[i] ? -Math.Sqrt(toPresent[i]) : 0.0;
        }

        return result;
    }

    /// <summary>EDT between centres to the unknown voxels or the one-voxel frame around the crop.</summary>
    public static double[] KnownRegion(Volume<byte> labels, VoxelSize v)
    {
        var shape = labels.Shape;
        var padded = new Shape3(shape.Z + 2, shape.Y + 2, shape.X + 2);
        var result = new double[shape.Count];
        ForEachVoxel(shape, (z, y, x) =>
        {
            var best = double.PositiveInfinity;
            ForEachVoxel(padded, (pz, py, px) =>
            {
                var qz = pz - 1;
                var qy = py - 1;
                var qx = px - 1;
                var stop = !shape.Contains(qz, qy, qx) || labels[qz, qy, qx] == LabelValues.Unknown;
                if (stop)
                {
                    best = Math.Min(best, SquaredToCentres(v, z, y, x, qz, qy, qx));
                }
            });
            result[shape.Index(z, y, x)] = Math.Sqrt(best);
        });
        return result;
    }

    public static void ForEachVoxel(Shape3 shape, Action<int, int, int> body)
    {
        for (var z = 0; z < shape.Z; z++)
        {
            for (var y = 0; y < shape.Y; y++)
            {
                for (var x = 0; x < shape.X; x++)
                {
                    body(z, y, x);
                }
            }
        }
    }

    private static double Gap(int offset) => Math.Max(Math.Abs(offset) - 0.5, 0.0);

    private static double Sq(double value) => value * value;
}
