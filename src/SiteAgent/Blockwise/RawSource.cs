using HotDistance.Core.Volumes;
using HotDistance.Core.Zarr;

namespace HotDistance.SiteAgent.Blockwise;

/// <summary>
/// The raw volume a blockwise job segments, read a box at a time and scaled to [0, 1] by its stored type
/// (<see cref="RawIntensity"/>): a region of interest of a Zarr array, read chunk by chunk so the array never has
/// to fit in memory, or a volume already in memory (a CellMap crop).
/// </summary>
public sealed class RawSource
{
    private readonly Func<int[], Shape3, Volume<float>> _read;

    private RawSource(Shape3 shape, double rawMaximum, Func<int[], Shape3, Volume<float>> read)
    {
        Shape = shape;
        RawMaximum = rawMaximum;
        _read = read;
    }

    /// <summary>The shape of the region being segmented.</summary>
    public Shape3 Shape { get; }

    /// <summary>The stored value 1 stands for (255 for uint8, 65535 for uint16, 1 for float).</summary>
    public double RawMaximum { get; }

    public static RawSource FromVolume(Volume<float> raw, double rawMaximum)
    {
        ArgumentNullException.ThrowIfNull(raw);
        return new RawSource(raw.Shape, rawMaximum, (start, shape) => Crop(raw, start, shape));
    }

    /// <summary>
    /// The box [<paramref name="start"/>, + <paramref name="shape"/>) of a 3-D raw array (uint8, uint16, or float
    /// already in [0, 1]); the whole array when both are null.
    /// </summary>
    public static RawSource FromArray(ZarrArray array, int[]? start = null, Shape3? shape = null)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (array.Rank != 3)
        {
            throw new ZarrFormatException(array.MetadataPath, "shape", $"has {array.Rank} dimensions", "segment a 3-D (z, y, x) raw array");
        }

        var full = array.Shape3;
        var origin = start ?? [0, 0, 0];
        var region = shape ?? full;
        var maximum = array.DataType switch
        {
            { Kind: ZarrElementKind.FloatingPoint } => 1.0,
            { Kind: ZarrElementKind.UnsignedInteger, Size: 1 } => RawIntensity.UInt8Maximum,
            { Kind: ZarrElementKind.UnsignedInteger, Size: 2 } => RawIntensity.UInt16Maximum,
            _ => throw new ZarrFormatException(array.MetadataPath, "dtype", $"is {array.DataType}",
                "give raw as uint8, uint16 (scaled to [0, 1] as in training) or float in [0, 1]"),
        };
        return new RawSource(region, maximum, (boxStart, boxShape) =>
        {
            long[] at = [origin[0] + boxStart[0], origin[1] + boxStart[1], origin[2] + boxStart[2]];
            return array.DataType.Kind == ZarrElementKind.FloatingPoint
                ? array.ReadRegion3D<float>(at[0], at[1], at[2], boxShape)
                : RawArray.TryRead(array, at, boxShape)!.Value.Raw;
        });
    }

    /// <summary>Reads the box [<paramref name="start"/>, + <paramref name="shape"/>) of the region, scaled to [0, 1].</summary>
    public Volume<float> Read(int[] start, Shape3 shape)
    {
        ArgumentNullException.ThrowIfNull(start);
        for (var axis = 0; axis < 3; axis++)
        {
            if (start[axis] < 0 || shape[axis] <= 0 || start[axis] + shape[axis] > Shape[axis])
            {
                throw new ArgumentOutOfRangeException(nameof(shape), $"box at [{string.Join(", ", start)}] of {shape} leaves the {Shape} input");
            }
        }

        return _read(start, shape);
    }

    /// <summary>The box [<paramref name="start"/>, + <paramref name="shape"/>) of this region, as a source of its own.</summary>
    public RawSource Region(int[] start, Shape3 shape)
    {
        ArgumentNullException.ThrowIfNull(start);
        _ = Read(start, new Shape3(1, 1, 1)); // checks the corner lies inside
        for (var axis = 0; axis < 3; axis++)
        {
            if (shape[axis] <= 0 || start[axis] + shape[axis] > Shape[axis])
            {
                throw new ArgumentOutOfRangeException(nameof(shape), $"region at [{string.Join(", ", start)}] of {shape} leaves the {Shape} input");
            }
        }

        var origin = (int[])start.Clone();
        return new RawSource(shape, RawMaximum, (boxStart, boxShape) => _read([origin[0] + boxStart[0], origin[1] + boxStart[1], origin[2] + boxStart[2]], boxShape));
    }

    private static Volume<float> Crop(Volume<float> raw, int[] start, Shape3 shape)
    {
        var result = new Volume<float>(shape);
        for (var z = 0; z < shape.Z; z++)
        {
            for (var y = 0; y < shape.Y; y++)
            {
                raw.Data.AsSpan(raw.Shape.Index(start[0] + z, start[1] + y, start[2]), shape.X)
                    .CopyTo(result.Data.AsSpan(shape.Index(z, y, 0), shape.X));
            }
        }

        return result;
    }
}
