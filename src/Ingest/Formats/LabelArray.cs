using HotDistance.Core.Crops;
using HotDistance.Core.Volumes;

namespace HotDistance.Ingest.Formats;

/// <summary>
/// One class's label values as read from a TIFF or HDF5 file, turned into <see cref="ClassLabels"/> by the CellMap
/// rule: a one-byte array of only 0, 1 and 255 is a binary mask; a wider one is a mask only if it also holds 255
/// (an unknown region); anything else holds instance ids, whose mask is id &gt; 0.
/// </summary>
internal static class LabelArray
{
    public static ClassLabels ToClassLabels(string className, Shape3 shape, ulong[] values, int bytesPerValue, string file, string field)
    {
        var binary = true;
        var hasUnknown = false;
        foreach (var v in values)
        {
            if (v > uint.MaxValue)
            {
                throw new CropFormatException(file, field,
                    $"holds the label {v} for class '{className}', outside 0..{uint.MaxValue} (instance ids must fit uint32)",
                    "relabel the instances with ids from 1 to 4294967295");
            }

            binary &= v is LabelValues.Absent or LabelValues.Present or LabelValues.Unknown;
            hasUnknown |= v == LabelValues.Unknown;
        }

        if (binary && (bytesPerValue == 1 || hasUnknown))
        {
            var mask = new byte[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                mask[i] = (byte)values[i];
            }

            return new ClassLabels(className, new Volume<byte>(shape, mask));
        }

        var ids = new uint[values.Length];
        var instanceMask = new byte[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            ids[i] = (uint)values[i];
            instanceMask[i] = ids[i] > 0 ? LabelValues.Present : LabelValues.Absent;
        }

        return new ClassLabels(className, new Volume<byte>(shape, instanceMask), new Volume<uint>(shape, ids));
    }
}
