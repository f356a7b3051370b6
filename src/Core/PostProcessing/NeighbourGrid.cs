using HotDistance.Core.Volumes;

namespace HotDistance.Core.PostProcessing;

/// <summary>Neighbour offsets of a grid, with a bounds-checked path for voxels on the volume's faces.</summary>
internal sealed class NeighbourGrid
{
    private readonly int[] _dz;
    private readonly int[] _dy;
    private readonly int[] _dx;

    public NeighbourGrid(Shape3 shape, Connectivity connectivity)
    {
        Shape = shape;
        var dz = new List<int>();
        var dy = new List<int>();
        var dx = new List<int>();
        for (var z = -1; z <= 1; z++)
        {
            for (var y = -1; y <= 1; y++)
            {
                for (var x = -1; x <= 1; x++)
                {
                    var steps = Math.Abs(z) + Math.Abs(y) + Math.Abs(x);
                    if (steps == 0 || (connectivity == Connectivity.Faces6 && steps > 1))
                    {
                        continue;
                    }

                    dz.Add(z);
                    dy.Add(y);
                    dx.Add(x);
                }
            }
        }

        _dz = [.. dz];
        _dy = [.. dy];
        _dx = [.. dx];
        Offsets = new int[_dz.Length];
        for (var k = 0; k < Offsets.Length; k++)
        {
            Offsets[k] = (_dz[k] * shape.Y + _dy[k]) * shape.X + _dx[k];
        }
    }

    public Shape3 Shape { get; }

    /// <summary>Flat-index offsets, valid for voxels not on a face of the volume.</summary>
    public int[] Offsets { get; }

    public bool IsInterior(int z, int y, int x) =>
        z > 0 && y > 0 && x > 0 && z < Shape.Z - 1 && y < Shape.Y - 1 && x < Shape.X - 1;

    /// <summary>Fills <paramref name="neighbours"/> with the in-bounds neighbours of a face voxel; returns how many.</summary>
    public int NeighboursOnFace(int z, int y, int x, Span<int> neighbours)
    {
        var n = 0;
        for (var k = 0; k < Offsets.Length; k++)
        {
            if (Shape.Contains(z + _dz[k], y + _dy[k], x + _dx[k]))
            {
                neighbours[n++] = Shape.Index(z + _dz[k], y + _dy[k], x + _dx[k]);
            }
        }

        return n;
    }
}
