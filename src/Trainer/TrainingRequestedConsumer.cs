using HotDistance.Contracts;
using HotDistance.Core;
using HotDistance.Core.Crops;
using HotDistance.Core.IO;
using HotDistance.Core.Tracking;
using HotDistance.Core.Workspace;
using HotDistance.Learning.Checkpoints;
using HotDistance.Learning.Model;
using HotDistance.Learning.Training;
using HotDistance.Messaging;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HotDistance.Trainer;

/// <summary>
/// Trains one variant of a generation and announces the model. Idempotent by (generation, variant): a finished
/// checkpoint is announced again without retraining, and a partial one is resumed. The message is held for the
/// whole run, which is why the broker's consumer_timeout must exceed the longest training (infra/rabbitmq).
/// Each job is a run in the experiment tracker (<see cref="TrainingRuns"/>) that ends FINISHED, FAILED with the
/// reason, or KILLED when the host stops it; its id travels on in <see cref="ModelTrained.TrackingRunId"/>.
/// </summary>
public sealed class TrainingRequestedConsumer(
    WorkspaceLayout workspace,
    PipelineSettings pipeline,
    CropStore store,
    TrainerSettings settings,
    IExperimentTracker tracker,
    IHostApplicationLifetime lifetime,
    ILogger<TrainingRequestedConsumer> logger) : IConsumer<TrainingRequested>
{
    /// <summary>How long a duplicate waits for the runner already training its job: as long as training may take.</summary>
    private static readonly TimeSpan JobLockTimeout = TimeSpan.FromDays(2);

    public async Task Consume(ConsumeContext<TrainingRequested> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await TrainAsync(context).ConfigureAwait(false);
        }
        catch (Exception exception) when (PipelineEndpoint.WillRetry(context, exception))
        {
            // Said before the retry runs, so hd status shows the job as retrying with its reason, not as running.
            var request = context.Message;
            var attempt = PipelineEndpoint.AttemptOf(context);
            logger.LogWarning(
                "{GenerationId}/{Variant}: attempt {Attempt} of {Attempts} failed, retrying: {Reason}",
                request.GenerationId, request.Variant, attempt, PipelineEndpoint.Attempts, exception.Message);
            await AttemptReports.PublishAsync(
                context,
                new TrainingRetrying(request.GenerationId, request.Variant, attempt, PipelineEndpoint.Attempts, $"{exception.GetType().Name}: {exception.Message}", settings.RunnerName, DateTimeOffset.UtcNow),
                logger).ConfigureAwait(false);
            throw;
        }
    }

    private async Task TrainAsync(ConsumeContext<TrainingRequested> context)
    {
        var request = context.Message;
        var crops = request.TrainingCropIds
            .Select(id => new TrainingCrop(id, store.Get(id).ContentHash, store.Load(id), IsNew: request.NewCropIds.Contains(id)))
            .ToList();
        var job = new TrainingJob(
            request.Variant,
            request.Classes,
            crops,
            workspace.Checkpoint(request.GenerationId, request.Variant),
            request.WarmStartCheckpoint is { } warmStart ? TrainedCheckpoints.Locate(workspace, warmStart) : null,
            request.GenerationId);

        // A duplicate request can reach a second runner while the first still trains: it waits here, then finds
        // the finished checkpoint and only announces it. The OS drops the lock if the holder dies, so a runner
        // that picks up a killed runner's job resumes at once.
        using var jobLock = await DirectoryLock.AcquireAsync(job.OutputDirectory, context.CancellationToken, JobLockTimeout).ConfigureAwait(false);
        var (architecture, reason) = ArchitectureChoice.For(crops, settings.Training.Architecture);
        var training = settings.Training with { MutuallyExclusive = pipeline.MutuallyExclusive, Architecture = architecture };

        // Started under the job lock, which is what keeps two runners of one job from each making its run.
        var run = tracker.Start(TrainingRuns.Describe(workspace, request, job, training, architecture, settings.RunnerName, PipelineEndpoint.AttemptOf(context)));
        TrainingResult result;
        try
        {
            result = await TrainWithProgressAsync(context, job, training, architecture, reason, run).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // Ended here whatever went wrong, so the run never stays RUNNING for a job that is no longer running.
            var stopped = exception is OperationCanceledException;
            await run.EndAsync(
                stopped ? TrackedRunOutcome.Killed : TrackedRunOutcome.Failed,
                stopped ? "stopped before its last step (the host stopped or the message was cancelled); a redelivery resumes it" : $"{exception.GetType().Name}: {exception.Message}",
                []).ConfigureAwait(false);
            if (!stopped && !PipelineEndpoint.WillRetry(context, exception))
            {
                // A job that failed for good (diverged, or out of retries) leaves its generation without a model to
                // evaluate, so the evaluation that would end the generation's run never comes: it failed too.
                await tracker.Start(PipelineRuns.Generation(workspace, request.GenerationId, request.GenerationNumber))
                    .EndAsync(TrackedRunOutcome.Failed, $"{request.Variant}: {exception.Message}", []).ConfigureAwait(false);
            }

            throw;
        }

        var trackingRunId = await run.EndAsync(TrackedRunOutcome.Finished, null, [TrainingRuns.LossChart(request.Variant, result.Metadata.LossHistory)]).ConfigureAwait(false);
        logger.LogInformation(
            "{GenerationId}/{Variant}: trained to step {Step} (started at {Start}), final loss {Loss:F4}",
            request.GenerationId, request.Variant, result.Metadata.Step, result.StartStep, result.Metadata.FinalLoss);
        await context.Publish(
            new ModelTrained(
                request.GenerationId,
                request.GenerationNumber,
                request.Variant,
                request.Variants,
                CheckpointReferences.Trained(request.GenerationId, request.Variant),
                result.Metadata.ModelSha256,
                result.Metadata.Step,
                result.Metadata.FinalLoss,
                request.TrainingCropIds,
                settings.RunnerName,
                DateTimeOffset.UtcNow,
                trackingRunId),
            context.CancellationToken).ConfigureAwait(false);
    }

    /// <summary>Trains the job on its own thread, publishing its progress and passing every step to the tracked run.</summary>
    private async Task<TrainingResult> TrainWithProgressAsync(
        ConsumeContext<TrainingRequested> context, TrainingJob job, TrainingSettings trainingSettings, ModelArchitecture architecture, string? architectureReason, ITrackedRun run)
    {
        var request = context.Message;
        var latest = new LatestProgress(new TrainingMetrics(run));
        // Training stops at the next step when the host begins to stop (Ctrl+C, a deploy), not only when the bus
        // cancels this message: a training thread still inside libtorch while the process exits crashes it.
        using var stopTraining = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        if (architectureReason is not null)
        {
            logger.LogInformation("{GenerationId}/{Variant}: {Reason}", request.GenerationId, request.Variant, architectureReason);
        }

        DescribeWarmStart(job, architecture);
        var training = new VariantTrainer(trainingSettings).RunAsync(job, latest, stopTraining.Token);
        try
        {
            while (await Task.WhenAny(training, Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None)).ConfigureAwait(false) != training)
            {
                if (latest.Take() is { } progress)
                {
                    await PublishProgressAsync(context, progress).ConfigureAwait(false);
                }
            }
        }
        catch (Exception exception) when (!training.IsCompleted)
        {
            // The retry (or the next runner) trains this job again: this thread must have let go of it first,
            // or two threads train one job and the job lock, held by this process, does not stop them.
            logger.LogWarning(exception, "{GenerationId}/{Variant}: stopping the training thread before this attempt fails", request.GenerationId, request.Variant);
            await stopTraining.CancelAsync().ConfigureAwait(false);
            await training.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            throw;
        }

        try
        {
            return await training.ConfigureAwait(false);
        }
        catch (TrainingDivergedException diverged)
        {
            logger.LogError("{GenerationId}/{Variant}: training failed for good: {Reason}", request.GenerationId, request.Variant, diverged.Message);
            throw;
        }
    }

    /// <summary>Says when a job starts a new lineage (the champion cannot seed it) or grows its heads for new classes.</summary>
    private void DescribeWarmStart(TrainingJob job, ModelArchitecture architecture)
    {
        if (job.WarmStartCheckpoint is not { } warm)
        {
            return;
        }

        var previous = Checkpoint.ReadVerified(warm);
        if (VariantTrainer.WarmStartProblem(warm, previous, job, architecture, settings.Training.Intensity) is { } problem)
        {
            logger.LogWarning("{GenerationId}/{Variant}: a new lineage, trained from scratch: {Problem}", job.GenerationId, job.Variant, problem);
        }
        else if (!previous!.Classes.SequenceEqual(job.Classes))
        {
            logger.LogInformation(
                "{GenerationId}/{Variant}: warm start from {Checkpoint} grows the heads: {Kept} carry over, {New} start fresh",
                job.GenerationId, job.Variant, warm, string.Join(", ", job.Classes.Intersect(previous.Classes)), string.Join(", ", job.Classes.Except(previous.Classes)));
        }
    }

    /// <summary>
    /// Progress is best effort: a publish that fails (a broker hiccup, a message the broker refuses) is logged and
    /// training goes on, because failing the job for it would throw away the training and start it again. Only the
    /// result, <see cref="ModelTrained"/>, must be delivered. Cancellation still ends the job.
    /// </summary>
    private async Task PublishProgressAsync(ConsumeContext<TrainingRequested> context, TrainingProgress progress)
    {
        var request = context.Message;
        try
        {
            await context.Publish(
                new TrainingProgressed(request.GenerationId, request.Variant, progress.Step, progress.TotalSteps, progress.Loss, progress.StepsPerSecond, settings.RunnerName),
                context.CancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Any publish failure is survivable here; only cancellation must stop the job.
        catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
        {
            logger.LogWarning("{GenerationId}/{Variant}: progress at step {Step} was not published, training goes on: {Reason}", request.GenerationId, request.Variant, progress.Step, exception.Message);
        }
    }

    /// <summary>
    /// Keeps only the newest report from the training thread for the consumer to publish at its own pace, and passes
    /// every report on to <paramref name="everyStep"/>.
    /// </summary>
    private sealed class LatestProgress(IProgress<TrainingProgress> everyStep) : IProgress<TrainingProgress>
    {
        private TrainingProgress? latest;

        public void Report(TrainingProgress value)
        {
            Interlocked.Exchange(ref latest, value);
            everyStep.Report(value);
        }

        public TrainingProgress? Take() => Interlocked.Exchange(ref latest, null);
    }
}
