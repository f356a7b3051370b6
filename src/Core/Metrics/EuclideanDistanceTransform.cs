using HotDistance.Core.Volumes;

namespace HotDistance.Core.Metrics;

/// <summary>
/// Exact Euclidean distance transform with anisotropic voxels: the squared distance is separable, so three 1D
/// passes (x, y, z), each taking the lower envelope of parabolas (Felzenszwalb and Huttenlocher), give the
/// distance from every voxel centre to the nearest feature voxel centre.
/// </summary>
public static class EuclideanDistanceTransform
{
    /// <summary>Distance in nm from each voxel to the nearest nonzero voxel of <paramref name="features"/>; +inf if there is none.</summary>
    public static Volume<float> DistanceToFeatures(Volume<byte> features, VoxelSize voxelSize)
    {
        ArgumentNullException.ThrowIfNull(features);
        var buffer = new float[features.Data.Length];
        for (var i = 0; i < buffer.Length; i++)
        {
            buffer[i] = features.Data[i] != 0 ? 0f : float.PositiveInfinity;
        }

        SquaredInPlace(buffer, features.Shape, voxelSize);
        for (var i = 0; i < buffer.Length; i++)
        {
            buffer[i] = MathF.Sqrt(buffer[i]);
        }

        return new Volume<float>(features.Shape, buffer);
    }

    /// <summary>
    /// Turns <paramref name="buffer"/> (0 at features, +inf elsewhere) into squared distances in nm^2.
    /// </summary>
    internal static void SquaredInPlace(float[] buffer, Shape3 shape, VoxelSize voxelSize)
    {
        if (!voxelSize.IsValid)
        {
            throw new ArgumentException($"voxel size {voxelSize} must be positive and finite", nameof(voxelSize));
        }

        var longest = Math.Max(shape.Z, Math.Max(shape.Y, shape.X));
        var pass = new LinePass(longest);
        for (var z = 0; z < shape.Z; z++)
        {
            for (var y = 0; y < shape.Y; y++)
            {
                pass.Run(buffer, shape.Index(z, y, 0), 1, shape.X, voxelSize.X);
            }
        }

        for (var z = 0; z < shape.Z; z++)
        {
            for (var x = 0; x < shape.X; x++)
            {
                pass.Run(buffer, shape.Index(z, 0, x), shape.X, shape.Y, voxelSize.Y);
            }
        }

        var plane = shape.X * shape.Y;
        for (var i = 0; i < plane; i++)
        {
            pass.Run(buffer, i, plane, shape.Z, voxelSize.Z);
        }
    }

    /// <summary>Scratch space for one line, reused across lines.</summary>
    private sealed class LinePass(int length)
    {
        private readonly double[] _values = new double[length];
        private readonly int[] _sites = new int[length];
        private readonly double[] _bounds = new double[length + 1];

        public void Run(float[] buffer, int start, int stride, int count, double spacing)
        {
            var f = _values;
            for (var i = 0; i < count; i++)
            {
                f[i] = buffer[start + i * stride];
            }

            // Lower envelope of the parabolas (p - q)^2 * spacing^2 + f(q) over the finite sites q.
            var k = -1;
            for (var q = 0; q < count; q++)
            {
                if (double.IsPositiveInfinity(f[q]))
                {
                    continue;
                }

                var boundary = double.NegativeInfinity;
                while (k >= 0)
                {
                    boundary = Intersection(f, _sites[k], q, spacing);
                    if (boundary > _bounds[k])
                    {
                        break;
                    }

                    k--;
                }

                k++;
                _sites[k] = q;
                _bounds[k] = k == 0 ? double.NegativeInfinity : boundary;
            }

            if (k < 0)
            {
                return; // no feature on this line: stays +inf
            }

            var last = k;
            _bounds[last + 1] = double.PositiveInfinity;
            k = 0;
            for (var p = 0; p < count; p++)
            {
                while (_bounds[k + 1] < p)
                {
                    k++;
                }

                var offset = (p - _sites[k]) * spacing;
                buffer[start + p * stride] = (float)(offset * offset + f[_sites[k]]);
            }
        }

        /// <summary>Where (in voxel units along the line) the parabola of site <paramref name="r"/> drops below that of <paramref name="q"/>.</summary>
        private static double Intersection(double[] f, int q, int r, double spacing)
        {
            var s2 = spacing * spacing;
            return ((f[r] - f[q]) / s2 + ((double)r * r - (double)q * q)) / (2.0 * (r - q));
        }
    }
}
