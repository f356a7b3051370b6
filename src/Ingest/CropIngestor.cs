using HotDistance.Contracts;
using HotDistance.Core;
using HotDistance.Core.Crops;
using HotDistance.Core.Security;
using HotDistance.Core.Workspace;
using HotDistance.Core.Zarr;
using HotDistance.Ingest.Formats;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace HotDistance.Ingest;

/// <summary>
/// The front door: reads every crop of a source (CellMap Zarr, TIFF stacks with crop.json, CREMI HDF5), validates
/// it, stores it and announces it. A rejected crop is copied into quarantine with its reasons and announced as
/// CropRejected; nothing of it reaches the store. A duplicate (same content) is neither stored nor announced
/// again, unless a crash came between storing and announcing it last time, in which case it is announced now.
/// An input holding a symbolic link or a special file (a FIFO, a device) anywhere is refused before any of it is read.
/// </summary>
public sealed class CropIngestor(
    PipelineSettings settings,
    IngestSettings ingestSettings,
    CropStore store,
    WorkspaceLayout workspace,
    Quarantine quarantine,
    IPublishEndpoint publish,
    ILogger<CropIngestor> logger)
{
    /// <summary>Step passed to <see cref="AfterStep"/> once a crop is stored and before it is announced.</summary>
    public const string StoredStep = "stored";

    /// <summary>Called after a crop is stored and before it is announced; a test throws from it to stand in for a crash.</summary>
    public Action<string>? AfterStep { get; set; }

    public async Task<IReadOnlyList<IngestOutcome>> IngestAsync(string sourcePath, string? split, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sourcePath);
        var requestedSplit = CropSplits.Parse(split);
        var outcomes = new List<IngestOutcome>();

        // A crop group path (<dataset>.zarr/recon-1/labels/groundtruth/crop3) is its dataset, that crop only.
        (sourcePath, var onlyCrop) = CellMapLayout.SplitCropPath(sourcePath);
        if (InputEntries.FindIn(sourcePath) is { } link)
        {
            var copy = QuarantineCopy.Nothing("the input holds a link or a special file, so none of it was copied (a copy would follow the link or block)");
            outcomes.Add(await RejectAsync(sourcePath, NameOf(sourcePath), [link.Reason], copy, cancellationToken).ConfigureAwait(false));
            return outcomes;
        }

        ICropSource source;
        IReadOnlyList<string> cropNames;
        try
        {
            source = CropSourceDetector.Detect(sourcePath, ingestSettings);
            cropNames = source.ListCrops();
            if (onlyCrop is not null)
            {
                cropNames = cropNames.Contains(onlyCrop, StringComparer.Ordinal)
                    ? [onlyCrop]
                    : throw new CropFormatException(CellMapLayout.CropPath(sourcePath, onlyCrop), "crop", "does not exist", $"its dataset's crops: {(cropNames.Count == 0 ? "none" : string.Join(", ", cropNames))}");
            }
        }
        catch (Exception exception) when (IsBadInput(exception))
        {
            var copy = File.Exists(sourcePath) || Directory.Exists(sourcePath) ? QuarantineCopy.Whole(sourcePath) : QuarantineCopy.Nothing($"{sourcePath} does not exist");
            outcomes.Add(await RejectAsync(sourcePath, NameOf(sourcePath), [exception.Message], copy, cancellationToken).ConfigureAwait(false));
            return outcomes;
        }

        if (cropNames.Count == 0)
        {
            var reason = $"{sourcePath}: field 'groundtruth' has no crops under {CellMapLayout.GroundTruthPath(sourcePath)}; add crop<N>/<class>/s0 arrays";
            outcomes.Add(await RejectAsync(sourcePath, NameOf(sourcePath), [reason], source.QuarantineCopyOf(null), cancellationToken).ConfigureAwait(false));
        }

        foreach (var cropName in cropNames)
        {
            outcomes.Add(await IngestCropAsync(source, cropName, requestedSplit, cancellationToken).ConfigureAwait(false));
        }

        return outcomes;
    }

    private async Task<IngestOutcome> IngestCropAsync(ICropSource source, string cropName, string? split, CancellationToken cancellationToken)
    {
        var where = source.Format == CellMapCropSource.FormatName ? $"{source.Path}#{cropName}" : source.Path;
        var name = source.Format == CellMapCropSource.FormatName ? $"{NameOf(source.Path)}-{cropName}" : cropName;
        Crop crop;
        try
        {
            crop = source.Read(cropName);
        }
        catch (Exception exception) when (IsBadInput(exception))
        {
            return await RejectAsync(where, name, [exception.Message], source.QuarantineCopyOf(cropName), cancellationToken).ConfigureAwait(false);
        }

        var problems = CropValidator.Validate(crop, where, settings, ingestSettings.MinimumInPlaneVoxels, VoxelSizeField(source));
        if (problems.Count > 0)
        {
            return await RejectAsync(where, name, problems, source.QuarantineCopyOf(cropName), cancellationToken).ConfigureAwait(false);
        }

        var (entry, added) = await store.AddAsync(crop, split, cancellationToken).ConfigureAwait(false);
        var status = added ? IngestOutcome.Added : IngestOutcome.Duplicate;
        if (!added && store.IsAnnounced(entry.CropId))
        {
            logger.LogInformation("{Source}: already stored as {CropId} ({Split})", where, entry.CropId, entry.Split);
            return new IngestOutcome(where, entry.CropId, status, entry.Split, null);
        }

        AfterStep?.Invoke(StoredStep);
        if (!ingestSettings.Announce)
        {
            logger.LogInformation("{Source}: stored as {CropId} ({Split}); the pipeline running on this workspace announces it", where, entry.CropId, entry.Split);
            return new IngestOutcome(where, entry.CropId, status, entry.Split, null);
        }

        logger.LogInformation("{Source}: {Status} as {CropId} ({Split})", where, added ? "stored" : "stored earlier, announced now", entry.CropId, entry.Split);
        await publish.Publish(StoredCropAnnouncer.Announcement(entry, workspace), cancellationToken).ConfigureAwait(false);
        store.MarkAnnounced(entry.CropId);
        return new IngestOutcome(where, entry.CropId, status, entry.Split, null);
    }

    private async Task<IngestOutcome> RejectAsync(string source, string name, IReadOnlyList<string> reasons, QuarantineCopy copy, CancellationToken cancellationToken)
    {
        var rejectedAt = DateTimeOffset.UtcNow;
        var folder = quarantine.Put(source, name, reasons, copy, rejectedAt);
        var reason = string.Join(Environment.NewLine, reasons);
        logger.LogWarning("{Source}: rejected: {Reason} (quarantined in {Folder})", source, reason, folder);
        await publish.Publish(new CropRejected(source, reason, folder, rejectedAt), cancellationToken).ConfigureAwait(false);
        return new IngestOutcome(source, null, IngestOutcome.Rejected, null, reason);
    }

    private static bool IsBadInput(Exception exception) =>
        exception is ZarrFormatException or CropFormatException or IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException;

    private static string VoxelSizeField(ICropSource source) => source.Format switch
    {
        TiffCropSource.FormatName => "voxel_size (crop.json)",
        CremiCropSource.FormatName => "resolution (volumes/raw attribute)",
        _ => "multiscales[0].datasets[0].coordinateTransformations.scale",
    };

    private static string NameOf(string path)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(path));
        return name.EndsWith(".zarr", StringComparison.OrdinalIgnoreCase) ? name[..^5] : Path.GetFileNameWithoutExtension(name);
    }
}
