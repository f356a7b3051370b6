namespace HotDistance.Core.Crops;

/// <summary>
/// How large a crop input may make a reader allocate. A crop is read whole (raw as float, each class as bytes and,
/// for instance classes, 32-bit ids), so its voxels bound a read's memory: 2^28 voxels (645^3) take about 3.5 GB
/// with two classes, which fits a 24 GiB machine running a trainer beside it. CellMap crops are far smaller; a whole
/// CREMI sample (125 x 1250 x 1250) fits.
/// </summary>
public static class CropLimits
{
    public const long DefaultMaxVoxels = 1L << 28;
}
