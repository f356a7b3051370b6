namespace HotDistance.Core.Volumes;

/// <summary>
/// Raw intensities as every role holds them: each stored unsigned integer divided by its type's maximum, so the
/// values lie in [0, 1] whatever the type. The scaling is exact (a float tells every uint16 value / 65535 apart), so
/// the store writes back the very integers it was given. The maximum travels with the raw (<c>Crop.RawMaximum</c>)
/// because a normalisation given in stored units, and the store, need it; how the model sees the raw is
/// <see cref="IntensityNormalization"/>'s business, not this scaling's.
/// </summary>
public static class RawIntensity
{
    public const int UInt8Maximum = byte.MaxValue;

    public const int UInt16Maximum = ushort.MaxValue;

    public static Volume<float> FromUInt8(Shape3 shape, ReadOnlySpan<byte> values)
    {
        var result = new Volume<float>(shape);
        for (var i = 0; i < values.Length; i++)
        {
            result.Data[i] = values[i] / (float)UInt8Maximum;
        }

        return result;
    }

    public static Volume<float> FromUInt16(Shape3 shape, ReadOnlySpan<ushort> values)
    {
        var result = new Volume<float>(shape);
        for (var i = 0; i < values.Length; i++)
        {
            result.Data[i] = values[i] / (float)UInt16Maximum;
        }

        return result;
    }

    /// <summary>The stored uint8 values back; NaN becomes 0 and values outside [0, 1] are clamped.</summary>
    public static byte[] ToUInt8(ReadOnlySpan<float> raw)
    {
        var bytes = new byte[raw.Length];
        for (var i = 0; i < raw.Length; i++)
        {
            bytes[i] = (byte)Stored(raw[i], UInt8Maximum);
        }

        return bytes;
    }

    /// <summary>The stored uint16 values back; NaN becomes 0 and values outside [0, 1] are clamped.</summary>
    public static ushort[] ToUInt16(ReadOnlySpan<float> raw)
    {
        var words = new ushort[raw.Length];
        for (var i = 0; i < raw.Length; i++)
        {
            words[i] = (ushort)Stored(raw[i], UInt16Maximum);
        }

        return words;
    }

    private static int Stored(float value, int maximum) =>
        float.IsNaN(value) ? 0 : (int)MathF.Round(Math.Clamp(value, 0f, 1f) * maximum);
}
