using HotDistance.Core.Volumes;

namespace HotDistance.Core.PostProcessing;

/// <summary>Binarises float volumes.</summary>
public static class Thresholding
{
    /// <summary>1 where the value is strictly greater than <paramref name="threshold"/>, else 0 (NaN gives 0).</summary>
    public static Volume<byte> Above(Volume<float> values, float threshold)
    {
        ArgumentNullException.ThrowIfNull(values);
        var source = values.Data;
        var mask = new byte[source.Length];
        for (var i = 0; i < source.Length; i++)
        {
            mask[i] = source[i] > threshold ? (byte)1 : (byte)0;
        }

        return new Volume<byte>(values.Shape, mask);
    }
}
