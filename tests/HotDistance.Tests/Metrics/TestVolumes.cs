using HotDistance.Core.Volumes;

namespace HotDistance.Tests.Metrics;

/// <summary>Hand-built volumes for the metrics tests.</summary>
internal static class TestVolumes
{
    public static Volume<T> Build<T>(Shape3 shape, Func<int, int, int, T> value)
        where T : unmanaged
    {
        var volume = new Volume<T>(shape);
        for (var z = 0; z < shape.Z; z++)
        {
            for (var y = 0; y < shape.Y; y++)
            {
                for (var x = 0; x < shape.X; x++)
                {
                    volume[z, y, x] = value(z, y, x);
                }
            }
        }

        return volume;
    }

    /// <summary>1 inside the half-open box [z0, z1) x [y0, y1) x [x0, x1).</summary>
    public static Volume<byte> Box(Shape3 shape, int z0, int z1, int y0, int y1, int x0, int x1) =>
        Build(shape, (z, y, x) => z >= z0 && z < z1 && y >= y0 && y < y1 && x >= x0 && x < x1 ? (byte)1 : (byte)0);

    public static Volume<uint> Ids(Volume<byte> mask, uint id) =>
        new(mask.Shape, mask.Data.Select(v => v != 0 ? id : 0u).ToArray());

    /// <summary>Pastes nonzero ids of each part into one volume (later parts win).</summary>
    public static Volume<uint> Merge(params Volume<uint>[] parts)
    {
        var merged = new Volume<uint>(parts[0].Shape);
        foreach (var part in parts)
        {
            for (var i = 0; i < merged.Data.Length; i++)
            {
                if (part.Data[i] != 0)
                {
                    merged.Data[i] = part.Data[i];
                }
            }
        }

        return merged;
    }

    public static Volume<byte> Random(Shape3 shape, double fill, int seed)
    {
        var random = new Random(seed);
        return Build(shape, (_, _, _) => random.NextDouble() < fill ? (byte)1 : (byte)0);
    }

    public static int Distinct(Volume<uint> labels) => labels.Data.Where(v => v != 0).Distinct().Count();
}
