using HotDistance.Core.Crops;
using HotDistance.Core.Zarr;

namespace HotDistance.Ingest.Formats;

/// <summary>A CellMap dataset (<c>&lt;dataset&gt;.zarr</c>, Zarr v2 / OME-NGFF): every crop under recon-1/labels/groundtruth.</summary>
public sealed class CellMapCropSource(string path, long quarantineCopyLimitBytes, long maxCropVoxels = CropLimits.DefaultMaxVoxels) : ICropSource
{
    public const string FormatName = "cellmap-zarr";

    public string Path { get; } = path;

    public string Format => FormatName;

    public IReadOnlyList<string> ListCrops() => CellMapCropReader.ListCrops(Path);

    public Crop Read(string cropName) => CellMapCropReader.Read(Path, cropName, maxCropVoxels);

    /// <summary>
    /// The whole dataset when it is small; otherwise the rejected crop's label group, because the raw of a real
    /// dataset is many gigabytes and stays where it is.
    /// </summary>
    public QuarantineCopy QuarantineCopyOf(string? cropName)
    {
        var size = Directory.Exists(Path)
            ? new DirectoryInfo(Path).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }).Sum(f => f.Length)
            : 0;
        if (size <= quarantineCopyLimitBytes || cropName is null)
        {
            return QuarantineCopy.Whole(Path);
        }

        var cropPath = CellMapLayout.CropPath(Path, cropName);
        var relative = System.IO.Path.Combine(System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(Path)), System.IO.Path.GetRelativePath(Path, cropPath));
        return new QuarantineCopy(
            [(cropPath, relative)],
            $"the dataset is {size / (1024 * 1024)} MiB, over the {quarantineCopyLimitBytes / (1024 * 1024)} MiB quarantine copy limit: only the crop's labels were copied; the raw stays at {Path}");
    }
}
