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
/// </summary>
public sealed class TilePlan
{
    private TilePlan(Shape3 padded, int[] context, int[] window, IReadOnlyList<Tile> tiles)
    {
        Padded = padded;
        Context = context;
        Window = window;
        Tiles = tiles;
    }

    /// <summary>The crop's shape rounded up to the downsampling multiple.</summary>
    public Shape3 Padded { get; }

    public int[] Context { get; }

    /// <summary>The network input size of every tile (z, y, x).</summary>
    public int[] Window { get; }

    public IReadOnlyList<Tile> Tiles { get; }

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
        var starts = new List<(int Window, int Core, int Size)>[3];
        for (var axis = 0; axis < 3; axis++)
        {
            if (crop[axis] <= 0)
            {
                throw new ArgumentException($"crop shape {crop} has an empty axis", nameof(crop));
            }

            padded[axis] = ReceptiveContext.RoundUp(crop[axis], multiple[axis]);
            core[axis] = Math.Min(ReceptiveContext.RoundUp(options.CoreSize[axis], multiple[axis]), padded[axis]);
            window[axis] = Math.Min(core[axis] + (2 * context[axis]), padded[axis]);
            starts[axis] = [];
            for (var start = 0; start < crop[axis]; start += core[axis])
            {
                var size = Math.Min(core[axis], padded[axis] - start);
                var windowStart = Math.Clamp(start - context[axis], 0, padded[axis] - window[axis]);
                starts[axis].Add((windowStart, start, size));
            }
        }

        var tiles = new List<Tile>();
        foreach (var z in starts[0])
        {
            foreach (var y in starts[1])
            {
                foreach (var x in starts[2])
                {
                    tiles.Add(new Tile([z.Window, y.Window, x.Window], [z.Core, y.Core, x.Core], [z.Size, y.Size, x.Size]));
                }
            }
        }

        return new TilePlan(Shape3.FromArray(padded), context, window, tiles);
    }
}
