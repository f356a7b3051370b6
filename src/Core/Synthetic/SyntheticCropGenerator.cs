using HotDistance.Core.Crops;
using HotDistance.Core.Volumes;

namespace HotDistance.Core.Synthetic;

/// <summary>
/// Makes FIB-SEM-like crops for demos and tests: a textured cytoplasm, mitochondria as ellipsoids with a dark
/// membrane and a grey matrix (an instance class, "mito"), and endoplasmic reticulum as thin bright tubes (a
/// semantic class, "er"), blurred and noisy as a microscope would show them.
/// </summary>
public static class SyntheticCropGenerator
{
    public const string Mito = "mito";
    public const string Er = "er";

    public static IReadOnlyList<string> Classes { get; } = [Mito, Er];

    public static Crop Generate(SyntheticCropSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var random = new Random(spec.Seed);
        var shape = spec.Shape;
        var mitoIds = new Volume<uint>(shape);
        var er = new Volume<byte>(shape);
        var intensity = new Volume<float>(shape);
        Array.Fill(intensity.Data, 0.62f);

        PaintMitochondria(random, mitoIds, intensity);
        PaintEndoplasmicReticulum(random, er, mitoIds, intensity);

        var blurred = Filters.GaussianBlur(intensity, sigma: 0.8f);
        AddNoise(random, blurred, sigma: 0.05f);

        var labels = new Dictionary<string, ClassLabels>(StringComparer.Ordinal);
        if (spec.AnnotatedClasses.Contains(Mito))
        {
            var mask = new Volume<byte>(shape);
            for (var i = 0; i < mask.Data.Length; i++)
            {
                mask.Data[i] = mitoIds.Data[i] > 0 ? LabelValues.Present : LabelValues.Absent;
            }

            labels[Mito] = new ClassLabels(Mito, mask, mitoIds);
        }

        if (spec.AnnotatedClasses.Contains(Er))
        {
            if (spec.WithUnknownSlab)
            {
                // Annotators often leave a region they were unsure of: CellMap marks it 255.
                for (var z = shape.Z * 3 / 4; z < shape.Z; z++)
                {
                    Array.Fill(er.Data, LabelValues.Unknown, shape.Index(z, 0, 0), shape.Y * shape.X);
                }
            }

            labels[Er] = new ClassLabels(Er, er);
        }

        return new Crop
        {
            Name = spec.Name,
            Raw = blurred,
            VoxelSize = spec.VoxelSize,
            Labels = labels,
        };
    }

    private static void PaintMitochondria(Random random, Volume<uint> ids, Volume<float> intensity)
    {
        var shape = ids.Shape;
        var count = 2 + random.Next(3);
        for (uint id = 1; id <= count; id++)
        {
            double cz = random.Next(shape.Z), cy = random.Next(shape.Y), cx = random.Next(shape.X);
            double rz = 4 + (random.NextDouble() * 3), ry = 5 + (random.NextDouble() * 5), rx = 4 + (random.NextDouble() * 3);
            for (var z = 0; z < shape.Z; z++)
            {
                for (var y = 0; y < shape.Y; y++)
                {
                    for (var x = 0; x < shape.X; x++)
                    {
                        var r = Math.Sqrt(Sq((z - cz) / rz) + Sq((y - cy) / ry) + Sq((x - cx) / rx));
                        if (r > 1 || ids[z, y, x] != 0)
                        {
                            continue;
                        }

                        ids[z, y, x] = id;
                        intensity[z, y, x] = r > 0.75 ? 0.18f : 0.42f;
                    }
                }
            }
        }
    }

    private static void PaintEndoplasmicReticulum(Random random, Volume<byte> er, Volume<uint> mito, Volume<float> intensity)
    {
        var shape = er.Shape;
        var tubes = 2 + random.Next(3);
        const double radius = 2.3;
        for (var t = 0; t < tubes; t++)
        {
            double z = random.Next(shape.Z), y = random.Next(shape.Y), x = random.Next(shape.X);
            double dz = random.NextDouble() - 0.5, dy = random.NextDouble() - 0.5, dx = random.NextDouble() - 0.5;
            for (var step = 0; step < shape.X * 2; step++)
            {
                dz += (random.NextDouble() - 0.5) * 0.3;
                dy += (random.NextDouble() - 0.5) * 0.3;
                dx += (random.NextDouble() - 0.5) * 0.3;
                var norm = Math.Sqrt((dz * dz) + (dy * dy) + (dx * dx)) + 1e-9;
                z += dz / norm;
                y += dy / norm;
                x += dx / norm;
                StampSphere(z, y, x, radius, er, mito, intensity);
            }
        }
    }

    private static void StampSphere(double cz, double cy, double cx, double radius, Volume<byte> er, Volume<uint> mito, Volume<float> intensity)
    {
        var shape = er.Shape;
        var reach = (int)Math.Ceiling(radius);
        for (var z = (int)cz - reach; z <= (int)cz + reach; z++)
        {
            for (var y = (int)cy - reach; y <= (int)cy + reach; y++)
            {
                for (var x = (int)cx - reach; x <= (int)cx + reach; x++)
                {
                    if (!shape.Contains(z, y, x) || mito[z, y, x] != 0)
                    {
                        continue;
                    }

                    if (Sq(z - cz) + Sq(y - cy) + Sq(x - cx) <= radius * radius)
                    {
                        er[z, y, x] = LabelValues.Present;
                        intensity[z, y, x] = 0.88f;
                    }
                }
            }
        }
    }

    private static void AddNoise(Random random, Volume<float> volume, float sigma)
    {
        var data = volume.Data;
        for (var i = 0; i < data.Length; i++)
        {
            // Box-Muller: one Gaussian sample per voxel.
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            var gaussian = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
            data[i] = Math.Clamp(data[i] + (float)(gaussian * sigma), 0f, 1f);
        }
    }

    private static double Sq(double v) => v * v;
}
