using System.Globalization;
using HotDistance.Contracts;
using HotDistance.Core;
using HotDistance.Core.Crops;
using HotDistance.Core.IO;
using HotDistance.Core.Workspace;
using HotDistance.Learning.Training;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace HotDistance.Trainer;

/// <summary>
/// Turns arriving training crops into generations: a generation opens once no crop has arrived for the
/// debounce window (or the batch is full) and trains every variant on all training crops so far. State is a
/// file in the shared workspace, changed only under its directory lock, so planners in several processes
/// agree and a restart loses nothing. A generation is saved before its requests are published and marked
/// published after, so a crash in between republishes (the trainer ignores the duplicate).
/// </summary>
public sealed class GenerationPlanner(
    WorkspaceLayout workspace,
    PipelineSettings pipeline,
    TrainerSettings settings,
    TimeProvider clock,
    ILogger<GenerationPlanner> logger)
{
    private TaskCompletionSource arrival = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private string StatePath => Path.Combine(workspace.Generations, "planner.json");

    /// <summary>
    /// Waits until a crop or a retraining request arrives in this process, or <paramref name="atMost"/> passes
    /// (for debounce windows closing, and for arrivals seen by planners in other processes).
    /// </summary>
    public async Task WaitForArrivalAsync(TimeSpan atMost, CancellationToken cancellationToken)
    {
        var pending = Volatile.Read(ref arrival);
        await Task.WhenAny(pending.Task, Task.Delay(atMost, cancellationToken)).ConfigureAwait(false);
        if (pending.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref arrival, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), pending);
        }
    }

    private void SignalArrival() => Volatile.Read(ref arrival).TrySetResult();

    public async Task AddCropAsync(CropIngested crop, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(crop);
        if (crop.Split != CropSplits.Train)
        {
            return;
        }

        using var gate = await DirectoryLock.AcquireAsync(workspace.Generations, cancellationToken).ConfigureAwait(false);
        var state = Read();
        if (state.SeenContentHashes.Contains(crop.ContentHash))
        {
            logger.LogDebug("crop {CropId} was planned before; ignoring the duplicate", crop.CropId);
            return;
        }

        state.SeenContentHashes.Add(crop.ContentHash);
        state.PendingCropIds.Add(crop.CropId);
        AtomicFile.WriteJson(StatePath, state with { LastArrival = clock.GetUtcNow() });
        SignalArrival();
    }

    /// <summary>
    /// Takes up a request to retrain (the nightly evaluation found a regression): the next tick opens a generation
    /// over all training crops so far, new or not. Idempotent by request id.
    /// </summary>
    public async Task RequestRetrainingAsync(RetrainingRequested request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var gate = await DirectoryLock.AcquireAsync(workspace.Generations, cancellationToken).ConfigureAwait(false);
        var state = Read();
        if (state.RetrainingRequestIds.Contains(request.RequestId))
        {
            logger.LogDebug("retraining request {RequestId} was taken up before; ignoring the duplicate", request.RequestId);
            return;
        }

        state.RetrainingRequestIds.Add(request.RequestId);
        AtomicFile.WriteJson(StatePath, state with { RetrainingDue = true });
        SignalArrival();
        logger.LogInformation("retraining requested by {RequestedBy}: {Reason}", request.RequestedBy, request.Reason);
    }

    /// <summary>Opens a generation when one is due and publishes any generation not yet published.</summary>
    public async Task<IReadOnlyList<string>> TickAsync(IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(publish);
        using var gate = await DirectoryLock.AcquireAsync(workspace.Generations, cancellationToken).ConfigureAwait(false);
        var state = Read();
        var crowded = state.PendingCropIds.Count > 0
            && (clock.GetUtcNow() - state.LastArrival >= settings.Debounce || state.PendingCropIds.Count >= settings.MaxBatch);
        var due = crowded || (state.RetrainingDue && (state.PendingCropIds.Count > 0 || state.Generations.Count > 0));
        if (due)
        {
            var number = state.NextGeneration;
            var previous = state.Generations.LastOrDefault();
            var crops = (previous?.CropIds ?? []).Concat(state.PendingCropIds).Distinct().ToList();
            var generation = new PlannedGeneration($"gen-{number.ToString("D4", CultureInfo.InvariantCulture)}", number, crops, [.. state.PendingCropIds], Published: false);
            state.Generations.Add(generation);
            state.PendingCropIds.Clear();
            state = state with { NextGeneration = number + 1, RetrainingDue = false };
            GenerationConfiguration.Write(workspace, new GenerationConfiguration(generation.GenerationId, pipeline, settings, clock.GetUtcNow()));
            AtomicFile.WriteJson(StatePath, state);
            logger.LogInformation("generation {GenerationId}: {Count} crops ({New} new)", generation.GenerationId, crops.Count, generation.NewCropIds.Count);
        }

        var published = new List<string>();
        for (var i = 0; i < state.Generations.Count; i++)
        {
            var generation = state.Generations[i];
            if (generation.Published)
            {
                continue;
            }

            var previous = i > 0 ? state.Generations[i - 1].GenerationId : null;
            foreach (var variant in Variants.All)
            {
                var warmStart = previous is null ? null : CheckpointReferences.Trained(previous, variant);
                await publish.Publish(
                    new TrainingRequested(generation.GenerationId, generation.Number, variant, Variants.All, generation.CropIds, generation.NewCropIds, pipeline.Classes, warmStart, clock.GetUtcNow()),
                    cancellationToken).ConfigureAwait(false);
            }

            state.Generations[i] = generation with { Published = true };
            AtomicFile.WriteJson(StatePath, state);
            published.Add(generation.GenerationId);
        }

        return published;
    }

    /// <summary>
    /// Marks the newest generation for publishing again, so every stage replays it: stages that finished answer
    /// from their stored results, and a stage that was interrupted (its in-process message lost) resumes.
    /// </summary>
    public async Task RepublishLatestAsync(CancellationToken cancellationToken)
    {
        using var gate = await DirectoryLock.AcquireAsync(workspace.Generations, cancellationToken).ConfigureAwait(false);
        var state = Read();
        if (state.Generations.Count > 0)
        {
            state.Generations[^1] = state.Generations[^1] with { Published = false };
            AtomicFile.WriteJson(StatePath, state);
        }
    }

    public PlannerState Read() =>
        File.Exists(StatePath) ? AtomicFile.ReadJson<PlannerState>(StatePath) ?? new PlannerState() : new PlannerState();
}
