using System.Diagnostics;
using HotDistance.Contracts;
using HotDistance.Core.IO;
using HotDistance.Learning.Checkpoints;
using MassTransit;

namespace HotDistance.SiteAgent.Blockwise;

/// <summary>
/// The requesting side of a distributed blockwise job (<c>hd predict --distribute</c>): puts the model beside the job,
/// requests every block not yet done with one <see cref="PredictionBlockRequested"/> each (the predictors' shared queue
/// spreads them, one block per predictor at a time), watches the done and failure records, and, once every block is
/// done, runs the relabel pass itself. The finish is this command's alone: predictors only do blocks, so there is one
/// finisher per job, and a finish under the job's lock that finds the job complete does nothing.
/// </summary>
public sealed class BlockDispatcher(IPublishEndpoint bus, BlockwiseSegmenter segmenter, TimeSpan? poll = null)
{
    private readonly TimeSpan interval = poll ?? TimeSpan.FromSeconds(1);

    private SegmentationZarrWriter Output => segmenter.Output;

    /// <summary>
    /// Copies what inference needs of the model (weights and checkpoint.json) from <paramref name="modelDirectory"/> into
    /// the job's folder, where predictors load it (verified against the job's SHA-256), unless a verified copy is there.
    /// </summary>
    public void ShareModel(string modelDirectory)
    {
        var target = Output.ModelFolder;
        if (ArtifactVerifier.Problem(target, segmenter.Job.ModelSha256) is null)
        {
            return;
        }

        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }

        if (Checkpoint.CopyForInference(modelDirectory, target) is null || ArtifactVerifier.Problem(target, segmenter.Job.ModelSha256) is { } problem)
        {
            throw new CheckpointException(target, $"is not a verified copy of the model in {modelDirectory} (SHA-256 {segmenter.Job.ModelSha256})");
        }
    }

    /// <summary>
    /// Requests every block without a done record (forgetting an earlier attempt's failures first) and waits for them;
    /// then finishes the job. Throws <see cref="BlocksFailedException"/> once every block is done or failed and some
    /// failed.
    /// </summary>
    public async Task<BlockwiseResult> RunAsync(IProgress<BlockwiseProgress>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var since = DateTime.UtcNow;
        Output.ClearFailures();
        var missing = segmenter.Plan.All().Where(b => !segmenter.IsDone(b.Index)).Select(b => b.Index).ToList();
        foreach (var index in missing)
        {
            await bus.Publish(new PredictionBlockRequested(Output.Root, index, DateTimeOffset.UtcNow), cancellationToken).ConfigureAwait(false);
        }

        var total = segmenter.Plan.Count;
        while (true)
        {
            var standing = BlockwiseStanding.Of(Output, segmenter.Plan, since, DateTime.UtcNow);
            var failures = Output.ReadStandingFailures();
            progress?.Report(new BlockwiseProgress("blocks", standing.Done, total, standing.VoxelsPerSecond, standing.Eta, failures));
            if (standing.Done == total)
            {
                break;
            }

            if (failures.Count > 0 && standing.Done + failures.Count >= total)
            {
                throw new BlocksFailedException(failures);
            }

            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        }

        var predicting = clock.Elapsed;
        using var finishing = await DirectoryLock.AcquireAsync(Path.Combine(Output.Root, SegmentationZarrWriter.StateFolder), cancellationToken, TimeSpan.FromHours(1)).ConfigureAwait(false);
        return segmenter.Conclude(missing.Count, total - missing.Count, predicting, progress);
    }
}
