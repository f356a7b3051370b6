using System.Diagnostics;
using HotDistance.Core;
using HotDistance.Core.IO;
using HotDistance.Core.Threading;
using HotDistance.Core.Volumes;
using HotDistance.Core.Zarr;
using HotDistance.Learning.Runtime;
using HotDistance.SiteAgent.Blockwise;
using Microsoft.Extensions.Logging;

namespace HotDistance.SiteAgent;

/// <summary>
/// Segments the site's own volumes (<see cref="SiteSettings.Volumes"/>) with the model current.json names, on the
/// path <c>hd predict</c> takes (<see cref="BlockwisePrediction"/>), into <c>&lt;output&gt;/v&lt;N&gt;.zarr</c>, and
/// then moves the volume's <see cref="VolumeSegmentationPointer"/> to it. The key is (volume, version): a complete
/// segmentation is not done again, an interrupted one continues from its done records.
/// <para>
/// The champion-change rule: before each block the site's current.json is read; when it names another version, the
/// segmentation is abandoned there (its finished blocks stay, so a rollback to that version continues it, and its
/// pointer is not moved) and the caller segments with the new champion. A segmentation that finishes after the
/// champion changed (its last block was in flight) does not move the pointer either.
/// </para>
/// <para>
/// A volume that fails (unreadable, another job in its folder) is logged with its key and reason and reported in the
/// results; the other volumes go on, and the next champion, or a restart, tries it again.
/// </para>
/// </summary>
public sealed class SiteVolumeSegmenter(SiteLayout site, SiteSettings settings, PipelineSettings pipeline, ILogger<SiteVolumeSegmenter> logger)
{
    /// <summary>How often a long segmentation logs its progress (besides its first and last block).</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(10);

    /// <summary>How long a volume waits for another process segmenting it (another site process on the same folder).</summary>
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(2);

    public IReadOnlyList<SiteVolume> Volumes => settings.Volumes;

    /// <summary>Refuses to start a site whose volumes' inputs are not there, naming each (a path mistyped, a volume not mounted).</summary>
    public void CheckInputs()
    {
        var missing = Volumes
            .Select((volume, index) => (Volume: volume, Index: index))
            .Where(v => !Directory.Exists(v.Volume.Input))
            .Select(v => $"{SiteSettings.VolumeKey(v.Index, "input")} = '{v.Volume.Input}': no such folder; mount the volume or fix the path")
            .ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", missing));
        }
    }

    /// <summary>Segments every volume with the site's current model; nothing when the site has no model or no volumes.</summary>
    public async Task<IReadOnlyList<VolumeSegmentation>> SegmentCurrentAsync(CancellationToken cancellationToken)
    {
        var champion = site.ReadCurrent();
        if (Volumes.Count == 0 || champion is null)
        {
            return [];
        }

        LoadedModel model;
        try
        {
            model = LoadedModel.FromDirectory(site.ModelDirectory(champion.Version), champion.Version, champion.Sha256);
        }
#pragma warning disable CA1031 // A model that cannot be loaded fails every volume, reported; the site goes on following.
        catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
        {
            logger.LogError("site {Site}: could not load v{Version} to segment its volumes: {Reason}", site.Root, champion.Version, exception.Message);
            return [.. Volumes.Select((volume, index) => new VolumeSegmentation(index, volume, champion.Version, VolumeOutcome.Failed, $"the model could not be loaded: {exception.Message}"))];
        }

        using (model)
        {
            var results = new List<VolumeSegmentation>();
            for (var index = 0; index < Volumes.Count; index++)
            {
                results.Add(await SegmentAsync(index, Volumes[index], model, champion, cancellationToken).ConfigureAwait(false));
            }

            return results;
        }
    }

    private async Task<VolumeSegmentation> SegmentAsync(int index, SiteVolume volume, LoadedModel model, SitePointer champion, CancellationToken cancellationToken)
    {
        VolumeSegmentation Outcome(VolumeOutcome outcome, string detail, BlockwiseResult? result = null) => new(index, volume, champion.Version, outcome, detail, result);
        var name = SiteSettings.VolumeKey(index);
        var key = SiteSettings.VolumeKey(index, "input");
        var output = volume.SegmentationFor(champion.Version);
        using var championChanged = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            if (!IsChampion(champion))
            {
                return Outcome(VolumeOutcome.Abandoned, $"the site switched from v{champion.Version} before this volume started");
            }

            using var turn = await DirectoryLock.AcquireAsync(volume.Output, cancellationToken, LockTimeout).ConfigureAwait(false);
            if (SegmentationZarrWriter.OpenExisting(output)?.IsComplete() == true)
            {
                MovePointer(volume, champion, output);
                return Outcome(VolumeOutcome.AlreadyDone, $"{output} is complete");
            }

            var modelVoxelSize = VoxelSize.FromArray(model.Metadata.VoxelSizeNm);
            var input = PredictInput.Read(volume.Input, null, null, modelVoxelSize, (path, _) => CropOf(path, key), key);
            var voxelSize = input.VoxelSize ?? modelVoxelSize;
            if (!PredictInput.SameVoxelSize(voxelSize, modelVoxelSize))
            {
                logger.LogWarning("site {Site}: {Volume} ({Input}) has voxel size {VoxelSize}, v{Version} was trained at {ModelVoxelSize}; expect a poor segmentation (resample the input)",
                    site.Root, name, volume.Input, voxelSize, champion.Version, modelVoxelSize);
            }

            if (volume.Roi is { } roi)
            {
                input = input.Within(roi, voxelSize);
            }

            var segmenter = BlockwisePrediction.Open(
                model, input, voxelSize, volume.Input, null, output, model.InstanceClasses(null, pipeline.InstanceClasses),
                volume.Blockwise, pipeline.ModelName, force: false, ComputeDevices.Select(settings.Device));
            var done = segmenter.Plan.All().Count(b => segmenter.IsDone(b.Index));
            logger.LogInformation("site {Site}: segmenting {Volume} ({Input}, {Shape}) with v{Version} into {Output}: {Blocks} block(s) of {Block}, {Done} already done",
                site.Root, name, volume.Input, input.Raw.Shape, champion.Version, output, segmenter.Plan.Count, segmenter.Plan.Block, done);
            var progress = Progress(name, champion, () =>
            {
                if (!IsChampion(champion))
                {
                    championChanged.Cancel();
                }
            });
            var result = await Task.Run(() => segmenter.Run(progress, championChanged.Token), championChanged.Token).ConfigureAwait(false);
            var moved = MovePointer(volume, champion, output);
            logger.LogInformation("site {Site}: {Volume} segmented with v{Version}: {Computed} block(s) computed, {Skipped} found done, in {Seconds:F1} s; {Pointer}",
                site.Root, name, champion.Version, result.BlocksComputed, result.BlocksSkipped, (result.Predicting + result.Stitching + result.Pyramid).TotalSeconds,
                moved ? $"{volume.PointerFile} names it" : "the champion changed meanwhile, so the pointer stays");
            return Outcome(VolumeOutcome.Segmented, $"{result.BlocksComputed} block(s) computed, {result.BlocksSkipped} found done", result);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogInformation("site {Site}: {Volume}: abandoned the segmentation with v{Version} at a block boundary: the site switched to v{Current}; its finished blocks stay in {Output}",
                site.Root, name, champion.Version, site.ReadCurrent()?.Version, output);
            return Outcome(VolumeOutcome.Abandoned, $"the site switched from v{champion.Version} during the segmentation");
        }
#pragma warning disable CA1031 // One volume's failure (unreadable, refused) is reported; the others and the site go on.
        catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
        {
            logger.LogError("site {Site}: {Volume} ({Input}): could not segment with v{Version}: {Reason}", site.Root, name, volume.Input, champion.Version, exception.Message);
            return Outcome(VolumeOutcome.Failed, exception.Message);
        }
    }

    /// <summary>Whether current.json still names <paramref name="champion"/>'s version (a read per block: a few hundred bytes).</summary>
    private bool IsChampion(SitePointer champion) => site.ReadCurrent()?.Version == champion.Version;

    /// <summary>
    /// Points the volume's current.json at <paramref name="output"/> when <paramref name="champion"/> is still the
    /// site's model and the pointer does not already name it; returns whether it names it now.
    /// </summary>
    private bool MovePointer(SiteVolume volume, SitePointer champion, string output)
    {
        if (!IsChampion(champion))
        {
            return false;
        }

        var previous = File.Exists(volume.PointerFile) ? AtomicFile.ReadJson<VolumeSegmentationPointer>(volume.PointerFile) : null;
        if (previous is not null && previous.Version == champion.Version && string.Equals(previous.Sha256, champion.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        AtomicFile.WriteJson(volume.PointerFile, new VolumeSegmentationPointer(
            champion.ModelName, champion.Version, champion.Sha256, Path.GetFileName(output), volume.Input, previous?.Version, DateTimeOffset.UtcNow));
        return true;
    }

    /// <summary>Logs blocks done/total, the rate and the ETA at the first and last block and every <see cref="ProgressInterval"/>; runs <paramref name="afterBlock"/> after each block.</summary>
    private SynchronousProgress<BlockwiseProgress> Progress(string name, SitePointer champion, Action afterBlock)
    {
        var sinceLog = Stopwatch.StartNew();
        var logged = false;
        return new SynchronousProgress<BlockwiseProgress>(progress =>
        {
            if (progress.Stage != "blocks")
            {
                logger.LogDebug("site {Site}: {Volume} with v{Version}: {Stage} {Done}/{Total}", site.Root, name, champion.Version, progress.Stage, progress.Done, progress.Total);
                return;
            }

            if (!logged || progress.Done == progress.Total || sinceLog.Elapsed >= ProgressInterval)
            {
                logger.LogInformation("site {Site}: {Volume} with v{Version}: blocks {Done}/{Total}, {Rate:F2} Mvoxels/s, ETA {Eta}",
                    site.Root, name, champion.Version, progress.Done, progress.Total, progress.VoxelsPerSecond / 1e6,
                    TimeSpan.FromSeconds(Math.Round((progress.Eta ?? TimeSpan.Zero).TotalSeconds)));
                logged = true;
                sinceLog.Restart();
            }

            afterBlock();
        });
    }

    /// <summary>
    /// A CellMap path's crop for a site volume: a crop group names its crop; a whole dataset is refused rather than
    /// quietly segmenting its first crop, since a site volume means the dataset's raw.
    /// </summary>
    private static (string Dataset, string Crop) CropOf(string path, string key)
    {
        var (dataset, crop) = CellMapLayout.SplitCropPath(path);
        return crop is not null
            ? (dataset, crop)
            : throw new ArgumentException($"{key} {path} is a CellMap dataset with crops: name its raw (<dataset>.zarr/recon-1/em/fibsem-uint8) to segment the whole volume, or one crop group (<dataset>.zarr/recon-1/labels/groundtruth/crop3)");
    }
}
