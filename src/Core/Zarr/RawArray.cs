using HotDistance.Core.Volumes;

namespace HotDistance.Core.Zarr;

/// <summary>Reads raw intensities from a Zarr array of a raw type (uint8 or uint16), scaled by <see cref="RawIntensity"/>.</summary>
public static class RawArray
{
    /// <summary>
    /// The region of <paramref name="shape"/> at <paramref name="offset"/> and the stored maximum it was scaled by;
    /// null when the array's type is not a raw type (each caller says what it accepts instead).
    /// </summary>
    public static (Volume<float> Raw, double Maximum)? TryRead(ZarrArray array, long[] offset, Shape3 shape)
    {
        ArgumentNullException.ThrowIfNull(array);
        return array.DataType switch
        {
            { Kind: ZarrElementKind.UnsignedInteger, Size: 1 } =>
                (RawIntensity.FromUInt8(shape, array.ReadRegion<byte>(offset, shape.ToArray())), RawIntensity.UInt8Maximum),
            { Kind: ZarrElementKind.UnsignedInteger, Size: 2 } =>
                (RawIntensity.FromUInt16(shape, array.ReadRegion<ushort>(offset, shape.ToArray())), RawIntensity.UInt16Maximum),
            _ => null,
        };
    }
}
