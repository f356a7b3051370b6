using HotDistance.Core.Zarr;

namespace HotDistance.Ingest.Formats;

/// <summary>
/// Tells the format of a path given to ingest, by extension and layout: a Zarr group (CellMap), a folder with
/// crop.json or crop.json itself (TIFF stacks), an .h5/.hdf5/.hdf file (CREMI). Anything else is a
/// <see cref="CropFormatException"/> that says which formats are accepted.
/// </summary>
public static class CropSourceDetector
{
    public const string Accepted =
        "pass a CellMap dataset folder (<dataset>.zarr), a folder of TIFF stacks with crop.json, or a CREMI-layout HDF5 file (.h5, .hdf5, .hdf)";

    private static readonly string[] HdfExtensions = [".h5", ".hdf5", ".hdf"];

    public static ICropSource Detect(string path, IngestSettings settings)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(settings);
        if (File.Exists(path))
        {
            if (HdfExtensions.Contains(System.IO.Path.GetExtension(path), StringComparer.OrdinalIgnoreCase))
            {
                return new CremiCropSource(path, settings.MaxCropVoxels);
            }

            if (string.Equals(System.IO.Path.GetFileName(path), TiffSidecar.FileName, StringComparison.OrdinalIgnoreCase))
            {
                return new TiffCropSource(path, settings.MaxCropVoxels);
            }

            throw new CropFormatException(path, "file", "is not a crop format this ingest reads", Accepted);
        }

        if (!Directory.Exists(path))
        {
            throw new CropFormatException(path, "path", "does not exist", Accepted);
        }

        if (File.Exists(System.IO.Path.Combine(path, TiffSidecar.FileName)))
        {
            return new TiffCropSource(path, settings.MaxCropVoxels);
        }

        if (ZarrGroup.Exists(path))
        {
            return new CellMapCropSource(path, settings.QuarantineCopyLimitBytes, settings.MaxCropVoxels);
        }

        var tiffs = Directory.EnumerateFiles(path, "*.tif*").Any();
        throw new CropFormatException(path, "folder",
            $"is not a Zarr dataset (no {ZarrGroup.GroupFileName}) and has no {TiffSidecar.FileName}{(tiffs ? " next to its TIFF files" : string.Empty)}",
            tiffs ? "for TIFF stacks add crop.json with voxel_size and labels (see the ingest README); " + Accepted : Accepted);
    }
}
