using HotDistance.Contracts;
using HotDistance.Core;
using HotDistance.Core.Crops;
using HotDistance.Core.IO;
using HotDistance.Core.Workspace;
using HotDistance.Core.Zarr;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace HotDistance.Ingest;

/// <summary>
/// The front door: reads every crop of a CellMap dataset, validates it, stores it and announces it. A rejected
/// crop is recorded in quarantine with its reason; a duplicate is recognised by content and announced again
/// (harmless: consumers are idempotent by content hash) so a crash between storing and publishing heals itself.
/// </summary>
public sealed class CropIngestor(
    PipelineSettings settings,
    CropStore store,
    WorkspaceLayout workspace,
    IPublishEndpoint publish,
    ILogger<CropIngestor> logger)
{
    public async Task<IReadOnlyList<IngestOutcome>> IngestAsync(string sourcePath, string? split, CancellationToken cancellationToken)
    {
        var requestedSplit = CropSplits.Parse(split);
        var outcomes = new List<IngestOutcome>();
        IReadOnlyList<string> cropNames;
        try
        {
            cropNames = CellMapCropReader.ListCrops(sourcePath);
        }
        catch (Exception exception) when (exception is ZarrFormatException or IOException or UnauthorizedAccessException)
        {
            outcomes.Add(await RejectAsync(sourcePath, exception.Message, cancellationToken).ConfigureAwait(false));
            return outcomes;
        }

        if (cropNames.Count == 0)
        {
            outcomes.Add(await RejectAsync(sourcePath, WhyNoCrops(sourcePath), cancellationToken).ConfigureAwait(false));
        }

        foreach (var cropName in cropNames)
        {
            outcomes.Add(await IngestCropAsync(sourcePath, cropName, requestedSplit, cancellationToken).ConfigureAwait(false));
        }

        return outcomes;
    }

    private async Task<IngestOutcome> IngestCropAsync(string sourcePath, string cropName, string? split, CancellationToken cancellationToken)
    {
        var source = $"{sourcePath}#{cropName}";
        Crop crop;
        try
        {
            crop = CellMapCropReader.Read(sourcePath, cropName);
        }
        catch (Exception exception) when (exception is ZarrFormatException or IOException or InvalidDataException or ArgumentException)
        {
            return await RejectAsync(source, exception.Message, cancellationToken).ConfigureAwait(false);
        }

        var problems = CropValidator.Validate(crop, settings);
        if (problems.Count > 0)
        {
            return await RejectAsync(source, string.Join(Environment.NewLine, problems), cancellationToken).ConfigureAwait(false);
        }

        var (entry, added) = await store.AddAsync(crop, split, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("{Source}: {Status} as {CropId} ({Split})", source, added ? "stored" : "already stored", entry.CropId, entry.Split);
        await publish.Publish(
            new CropIngested(entry.CropId, entry.ContentHash, entry.Name, entry.Split, entry.Classes, entry.Shape, entry.VoxelSizeNm, entry.Path, entry.IngestedAt),
            cancellationToken).ConfigureAwait(false);
        return new IngestOutcome(source, entry.CropId, added ? IngestOutcome.Added : IngestOutcome.Duplicate, entry.Split, null);
    }

    /// <summary>A mistyped path or a folder of the wrong kind deserves a different answer than an empty dataset.</summary>
    private static string WhyNoCrops(string sourcePath)
    {
        const string Fix = "pass the folder of a CellMap dataset (<dataset>.zarr)";
        if (File.Exists(sourcePath))
        {
            return $"{sourcePath}: is a file, not a Zarr dataset folder: {Fix}";
        }

        if (!Directory.Exists(sourcePath))
        {
            return $"{sourcePath}: does not exist: {Fix}";
        }

        if (!ZarrGroup.Exists(sourcePath))
        {
            return $"{sourcePath}: is not a Zarr dataset (no {ZarrGroup.GroupFileName}): {Fix}";
        }

        return $"{sourcePath}: no crops under recon-1/labels/groundtruth/: add crop<N>/<class>/s0 arrays";
    }

    private async Task<IngestOutcome> RejectAsync(string source, string reason, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(workspace.Quarantine, $"{DateTime.UtcNow:yyyyMMddTHHmmssfff}-{Guid.NewGuid():N}"[..30]);
        Directory.CreateDirectory(folder);
        AtomicFile.WriteJson(Path.Combine(folder, "reason.json"), new { source, reason, rejectedAt = DateTimeOffset.UtcNow });
        logger.LogWarning("{Source}: rejected: {Reason}", source, reason);
        await publish.Publish(new CropRejected(source, reason, folder, DateTimeOffset.UtcNow), cancellationToken).ConfigureAwait(false);
        return new IngestOutcome(source, null, IngestOutcome.Rejected, null, reason);
    }
}
