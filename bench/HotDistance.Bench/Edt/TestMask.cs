using HotDistance.Core.Volumes;

namespace HotDistance.Bench.Edt;

/// <summary>
/// The EDT benchmark's input: a deterministic union of randomly placed, randomly sized ellipsoids (round in nm,
/// so flattened in voxels along the coarse Z axis), about 40% foreground, like organelle masks. 1 = foreground.
/// </summary>
internal static class TestMask
{
    public static byte[] Generate(Shape3 shape, VoxelSize voxelSize, int seed)
    {
        var random = new Random(seed);
        var mask = new byte[shape.Count];

        // Ball count scales with the volume so the fill stays about the same at any size.
        var balls = (int)(shape.Count / 40_000);
        for (var b = 0; b < balls; b++)
        {
            var radiusNm = 16 + (random.NextDouble() * 120);
            double cz = random.Next(shape.Z), cy = random.Next(shape.Y), cx = random.Next(shape.X);
            Stamp(mask, shape, voxelSize, cz, cy, cx, radiusNm);
        }

        return mask;
    }

    private static void Stamp(byte[] mask, Shape3 shape, VoxelSize voxelSize, double cz, double cy, double cx, double radiusNm)
    {
        var rz = radiusNm / voxelSize.Z;
        var ry = radiusNm / voxelSize.Y;
        var rx = radiusNm / voxelSize.X;
        var z0 = Math.Max(0, (int)Math.Floor(cz - rz));
        var z1 = Math.Min(shape.Z - 1, (int)Math.Ceiling(cz + rz));
        var y0 = Math.Max(0, (int)Math.Floor(cy - ry));
        var y1 = Math.Min(shape.Y - 1, (int)Math.Ceiling(cy + ry));
        var x0 = Math.Max(0, (int)Math.Floor(cx - rx));
        var x1 = Math.Min(shape.X - 1, (int)Math.Ceiling(cx + rx));
        for (var z = z0; z <= z1; z++)
        {
            var dz = (z - cz) / rz;
            for (var y = y0; y <= y1; y++)
            {
                var dy = (y - cy) / ry;
                var row = shape.Index(z, y, 0);
                for (var x = x0; x <= x1; x++)
                {
                    var dx = (x - cx) / rx;
                    if ((dz * dz) + (dy * dy) + (dx * dx) <= 1.0)
                    {
                        mask[row + x] = 1;
                    }
                }
            }
        }
    }
}
