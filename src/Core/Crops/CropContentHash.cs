using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace HotDistance.Core.Crops;

/// <summary>SHA-256 of everything that makes a crop what it is: geometry, raw voxels, and each class's labels.</summary>
public static class CropContentHash
{
    public static string Compute(Crop crop)
    {
        ArgumentNullException.ThrowIfNull(crop);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var header = string.Create(CultureInfo.InvariantCulture, $"shape={crop.Shape};voxel={crop.VoxelSize.Z},{crop.VoxelSize.Y},{crop.VoxelSize.X};offset={string.Join(',', crop.OffsetNm)}");
        hash.AppendData(Encoding.UTF8.GetBytes(header));
        hash.AppendData(MemoryMarshal.AsBytes(crop.Raw.Data.AsSpan()));
        foreach (var (name, labels) in crop.Labels.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"class={name}"));
            hash.AppendData(labels.Mask.Data);
            if (labels.Instances is not null)
            {
                hash.AppendData(MemoryMarshal.AsBytes(labels.Instances.Data.AsSpan()));
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
