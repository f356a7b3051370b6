using HotDistance.Core.Crops;

namespace HotDistance.Ingest.Formats;

/// <summary>
/// One path given to ingest, in one of the accepted formats. Every format yields the same <see cref="Crop"/>, so
/// validation, storing and quarantine are the same whatever the crop arrived as.
/// </summary>
public interface ICropSource
{
    /// <summary>The path as given (a folder or a file).</summary>
    string Path { get; }

    /// <summary>"cellmap-zarr", "tiff-stack" or "cremi-hdf5".</summary>
    string Format { get; }

    /// <summary>The crops this source holds, by the name <see cref="Read"/> takes.</summary>
    IReadOnlyList<string> ListCrops();

    /// <summary>Reads one crop; throws ZarrFormatException or CropFormatException naming the file, field and fix.</summary>
    Crop Read(string cropName);

    /// <summary>What to copy into quarantine when <paramref name="cropName"/> (or the whole source, when null) is rejected.</summary>
    QuarantineCopy QuarantineCopyOf(string? cropName);
}
