using HotDistance.Core.Zarr;
using Spectre.Console;

namespace HotDistance.Cli;

/// <summary>
/// Picks the crop a verb reads: the one a crop group path names (<c>&lt;dataset&gt;.zarr/recon-1/labels/groundtruth/crop3</c>),
/// or from a dataset path the one --crop asks for, else the first.
/// </summary>
public static class DatasetCrop
{
    /// <summary>The dataset and crop <paramref name="path"/> (with <paramref name="requested"/>, from --crop) names.</summary>
    public static (string Dataset, string Crop) Resolve(string path, string? requested, string datasetOption)
    {
        ArgumentNullException.ThrowIfNull(path);
        var (dataset, named) = CellMapLayout.SplitCropPath(path);
        if (named is not null && requested is not null && requested != named)
        {
            throw new ArgumentException($"{datasetOption} {path} is crop {named}, but --crop asks for {requested}: give the crop once, in the path or with --crop");
        }

        return (dataset, Choose(dataset, named ?? requested, datasetOption));
    }

    /// <summary>
    /// <paramref name="requested"/> when the dataset has it, else the dataset's first crop, with a note when there
    /// are several. <paramref name="datasetOption"/> names the argument in messages.
    /// </summary>
    private static string Choose(string datasetPath, string? requested, string datasetOption)
    {
        ArgumentNullException.ThrowIfNull(datasetPath);
        if (!Directory.Exists(datasetPath))
        {
            throw new DirectoryNotFoundException($"{datasetOption} {datasetPath} does not exist; point at a CellMap dataset folder (<dataset>.zarr)");
        }

        var crops = CellMapCropReader.ListCrops(datasetPath);
        if (requested is not null)
        {
            return crops.Contains(requested, StringComparer.Ordinal)
                ? requested
                : throw new ArgumentException(
                    $"--crop {requested}: {datasetOption} {datasetPath} has no such crop (looked in {CellMapLayout.GroundTruthPath(datasetPath)}); its crops: {(crops.Count == 0 ? "none" : string.Join(", ", crops))}");
        }

        if (crops.Count == 0)
        {
            throw new ArgumentException(
                $"{datasetOption} {datasetPath} holds no crops (nothing under {CellMapLayout.GroundTruthPath(datasetPath)}); point at a CellMap dataset (<dataset>.zarr) with annotated crops");
        }

        if (crops.Count > 1)
        {
            AnsiConsole.MarkupLine($"[grey]crop {Markup.Escape(crops[0])}: the first of {crops.Count} ({Markup.Escape(string.Join(", ", crops))}); pass --crop to choose another[/]");
        }

        return crops[0];
    }
}
