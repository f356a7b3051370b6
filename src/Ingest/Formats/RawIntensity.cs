using HotDistance.Core.Volumes;

namespace HotDistance.Ingest.Formats;

/// <summary>Raw intensities from unsigned integers to [0, 1], the way the CellMap reader scales them.</summary>
internal static class RawIntensity
{
    public static Volume<float> FromUInt8(Shape3 shape, ReadOnlySpan<byte> values)
    {
        var result = new Volume<float>(shape);
        for (var i = 0; i < values.Length; i++)
        {
            result.Data[i] = values[i] / 255f;
        }

        return result;
    }

    public static Volume<float> FromUInt16(Shape3 shape, ReadOnlySpan<ushort> values)
    {
        var result = new Volume<float>(shape);
        for (var i = 0; i < values.Length; i++)
        {
            result.Data[i] = values[i] / 65535f;
        }

        return result;
    }
}
