using HotDistance.Core.Volumes;
using HotDistance.Learning.Model;

namespace HotDistance.Learning.Inference;

/// <summary>
/// Cuts a crop into tiles whose outputs, put together, equal one pass over the whole crop. The crop is first
/// (virtually) padded by edge replication up to the network's downsampling multiple, as a whole-crop pass pads
/// it. Every window has the same size (core + 2 x context, at most the padded crop), so windows batch; a window
/// that would cross the crop's edge is shifted inwards instead, which keeps its core's context real data or the
/// crop's own edge. Core and window starts are multiples of the downsampling factor, so every tile pools on the
/// same grid as the whole crop.
/// <para>
/// The plan keeps only the tile positions along each axis, so a plan over a dataset of 10^12 voxels stays small;
/// <see cref="TilesWithin"/> lists the tiles of one block of the volume (blockwise prediction), <see cref="Tiles"/>
/// all of them (a crop).
/// </para>
/// </summary>
public sealed class TilePlan
{
    private readonly IReadOnlyList<(int Window, int Core, int Size)>[] _axes;

    private TilePlan(Shape3 padded, int[] context, int[] window, int[] core, IReadOnlyList<(int Window, int Core, int Size)>[] axes)
    {
        Padded = padded;
        Context = context;
        Window = window;
        Core = core;
        _axes = axes;
    }

    /// <summary>The crop's shape rounded up to the downsampling multiple.</summary>
    public Shape3 Padded { get; }

    public int[] Context { get; }

    /// <summary>The network input size of every tile (z, y, x).</summary>
    public int[] Window { get; }

    /// <summary>The core size of every tile but the last along each axis (z, y, x).</summary>
    public int[] Core { get; }

    /// <summary>Every tile of the crop, in raster order.</summary>
    public IReadOnlyList<Tile> Tiles => TilesWithin([0, 0, 0], [Padded.Z, Padded.Y, Padded.X]);

    public static TilePlan For(Shape3 crop, ModelArchitecture architecture, TilingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        options ??= TilingOptions.Default;
        options.Validate();
        var multiple = architecture.TotalDownsample();
        var context = ReceptiveContext.Of(architecture);
        var padded = new int[3];
        var core = new int[3];
        var window = new int[3];
        var axes = new IReadOnlyList<(int Window, int Core, int Size)>[3];
        for (var axis = 0; axis < 3; axis++)
        {
            if (crop[axis] <= 0)
            {
                throw new ArgumentException($"crop shape {crop} has an empty axis", nameof(crop));
            }

            padded[axis] = ReceptiveContext.RoundUp(crop[axis], multiple[axis]);
            core[axis] = Math.Min(ReceptiveContext.RoundUp(options.CoreSize[axis], multiple[axis]), padded[axis]);
            window[axis] = Math.Min(core[axis] + (2 * context[axis]), padded[axis]);
            var starts = new List<(int Window, int Core, int Size)>();
            for (var start = 0; start < crop[axis]; start += core[axis])
            {
                var size = Math.Min(core[axis], padded[axis] - start);
                var windowStart = Math.Clamp(start - context[axis], 0, padded[axis] - window[axis]);
                starts.Add((windowStart, start, size));
            }

            axes[axis] = starts;
        }

        return new TilePlan(Shape3.FromArray(padded), context, window, core, axes);
    }

    /// <summary>
    /// The tiles whose cores start inside [<paramref name="start"/>, <paramref name="end"/>) per axis, in raster
    /// order. A block whose faces lie on multiples of <see cref="Core"/> gets exactly the tiles that cover it.
    /// </summary>
    public IReadOnlyList<Tile> TilesWithin(IReadOnlyList<int> start, IReadOnlyList<int> end)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(end);
        var along = new List<(int Window, int Core, int Size)>[3];
        for (var axis = 0; axis < 3; axis++)
        {
            along[axis] = [.. _axes[axis].Where(t => t.Core >= start[axis] && t.Core < end[axis])];
        }

        var tiles = new List<Tile>(along[0].Count * along[1].Count * along[2].Count);
        foreach (var z in along[0])
        {
            foreach (var y in along[1])
            {
                foreach (var x in along[2])
                {
                    tiles.Add(new Tile([z.Window, y.Window, x.Window], [z.Core, y.Core, x.Core], [z.Size, y.Size, x.Size]));
                }
            }
        }

        return tiles;
    }

    /// <summary>
    /// The part of the crop (shape <paramref name="crop"/>) that <paramref name="tiles"/>' windows read: the
    /// smallest box holding them, cut at the crop's far edges (beyond them a window replicates the edge voxel).
    /// </summary>
    public (int[] Start, Shape3 Shape) InputRegion(IReadOnlyList<Tile> tiles, Shape3 crop)
    {
        ArgumentNullException.ThrowIfNull(tiles);
        if (tiles.Count == 0)
        {
            throw new ArgumentException("no tiles: the region is empty", nameof(tiles));
        }

        var start = new int[3];
        var size = new int[3];
        for (var axis = 0; axis < 3; axis++)
        {
            start[axis] = tiles.Min(t => t.WindowStart[axis]);
            var end = Math.Min(tiles.Max(t => t.WindowStart[axis]) + Window[axis], crop[axis]);
            size[axis] = end - start[axis];
        }

        return (start, Shape3.FromArray(size));
    }
}
