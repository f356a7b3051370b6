using System.Numerics;
using HotDistance.Core.Blockwise;
using HotDistance.Core.Volumes;

namespace HotDistance.Core.Zarr;

/// <summary>
/// Adds the coarser levels of an OME-NGFF multiscale group whose s0 is written: s1, s2, ... each half the previous
/// along every axis longer than one voxel, until a level fits in one chunk, so viewers open the volume at every
/// zoom. Labels and masks are downsampled by the mode of each 2x2x2 cell (a mean would invent ids and fractional
/// masks); intensities by the mean. Each level is written a box at a time, so memory stays O(box) whatever the
/// volume. The translation follows the pixel-centre convention: a level-k voxel is centred on the cell it summarises.
/// </summary>
public static class OmePyramid
{
    /// <summary>Boxes of this many chunks per axis are downsampled at a time (one: the fine region read is 8 chunks).</summary>
    private const int ChunksPerBox = 1;

    public static IReadOnlyList<OmeScaleLevel> Build<T>(string group, string name, VoxelSize voxelSize, IReadOnlyList<double> offsetNm, bool mode)
        where T : unmanaged, INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(offsetNm);
        var levels = new List<OmeScaleLevel> { OmeScaleLevel.Create("s0", voxelSize, offsetNm) };
        var previous = ZarrArray.Open(Path.Combine(group, "s0"));
        var chunk = Shape3.FromArray(previous.Chunks.ToArray());
        var scale = new[] { voxelSize.Z, voxelSize.Y, voxelSize.X };
        var offset = offsetNm.ToArray();
        while (Enumerable.Range(0, 3).Any(a => previous.Shape3[a] > chunk[a]))
        {
            var source = previous.Shape3;
            var factor = Enumerable.Range(0, 3).Select(a => source[a] > 1 ? 2 : 1).ToArray();
            var shape = new Shape3((source.Z + factor[0] - 1) / factor[0], (source.Y + factor[1] - 1) / factor[1], (source.X + factor[2] - 1) / factor[2]);
            var path = "s" + levels.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var metadata = previous.Metadata;
            var next = ZarrArray.Create(
                Path.Combine(group, path),
                new ZarrArrayMetadata([shape.Z, shape.Y, shape.X], metadata.Chunks, metadata.DataType, metadata.Compressor, metadata.FillValue, metadata.DimensionSeparator),
                overwrite: true);
            var boxes = new BlockPlan(shape, new Shape3(chunk.Z * ChunksPerBox, chunk.Y * ChunksPerBox, chunk.X * ChunksPerBox));
            foreach (var box in boxes.All())
            {
                var from = Enumerable.Range(0, 3).Select(a => box.Start[a] * factor[a]).ToArray();
                var size = Shape3.FromArray(Enumerable.Range(0, 3).Select(a => Math.Min(box.Shape[a] * factor[a], source[a] - from[a])).ToArray());
                var fine = previous.ReadRegion3D<T>(from[0], from[1], from[2], size);
                next.WriteRegion3D(box.Start[0], box.Start[1], box.Start[2], Downsample(fine, Shape3.FromArray(box.Shape), factor, mode));
            }

            for (var a = 0; a < 3; a++)
            {
                offset[a] += (factor[a] - 1) * scale[a] / 2;
                scale[a] *= factor[a];
            }

            levels.Add(OmeScaleLevel.Create(path, VoxelSize.FromArray(scale), offset));
            previous = next;
        }

        OmeNgff.WriteMultiscale(group, new OmeMultiscale(name, OmeAxis.SpatialZyx, levels));
        return levels;
    }

    /// <summary>Each output voxel from its cell of <paramref name="fine"/> (cut at the fine volume's edge).</summary>
    internal static Volume<T> Downsample<T>(Volume<T> fine, Shape3 coarse, int[] factor, bool mode)
        where T : unmanaged, INumberBase<T>
    {
        var result = new Volume<T>(coarse);
        Span<T> cell = stackalloc T[8];
        for (var z = 0; z < coarse.Z; z++)
        {
            for (var y = 0; y < coarse.Y; y++)
            {
                for (var x = 0; x < coarse.X; x++)
                {
                    var n = 0;
                    for (var dz = 0; dz < factor[0]; dz++)
                    {
                        for (var dy = 0; dy < factor[1]; dy++)
                        {
                            for (var dx = 0; dx < factor[2]; dx++)
                            {
                                var (fz, fy, fx) = ((z * factor[0]) + dz, (y * factor[1]) + dy, (x * factor[2]) + dx);
                                if (fine.Shape.Contains(fz, fy, fx))
                                {
                                    cell[n++] = fine[fz, fy, fx];
                                }
                            }
                        }
                    }

                    result[z, y, x] = mode ? Mode(cell[..n]) : Mean(cell[..n]);
                }
            }
        }

        return result;
    }

    /// <summary>The most frequent value; among equally frequent ones the smallest (deterministic).</summary>
    private static T Mode<T>(Span<T> values)
        where T : unmanaged, INumberBase<T>
    {
        values.Sort((a, b) => a == b ? 0 : double.CreateTruncating(a) < double.CreateTruncating(b) ? -1 : 1);
        var best = values[0];
        var bestRun = 0;
        for (var i = 0; i < values.Length;)
        {
            var j = i;
            while (j < values.Length && values[j] == values[i])
            {
                j++;
            }

            if (j - i > bestRun)
            {
                (best, bestRun) = (values[i], j - i);
            }

            i = j;
        }

        return best;
    }

    private static T Mean<T>(Span<T> values)
        where T : unmanaged, INumberBase<T>
    {
        var sum = 0.0;
        foreach (var value in values)
        {
            sum += double.CreateTruncating(value);
        }

        var mean = sum / values.Length;
        // Integer intensities round to the nearest stored value.
        return T.CreateSaturating(T.IsInteger(T.One) ? Math.Round(mean) : mean);
    }
}
