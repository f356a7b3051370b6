using HotDistance.Contracts;
using HotDistance.Core.Security;
using HotDistance.Core.Workspace;
using HotDistance.Learning.Checkpoints;
using HotDistance.Messaging;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace HotDistance.Evaluator;

/// <summary>
/// Collects a generation's trained variants (<see cref="TrainedArrivals"/>) and evaluates once all are in. A
/// duplicate arrival or a redelivery after evaluation republishes the stored result instead of evaluating again.
/// An evaluation that gave up is taken up again by <see cref="StalledGenerationSweeper"/>. An arrival counts only
/// when its checkpoint is one the trainers wrote with the SHA-256 the message announces
/// (<see cref="TrainedCheckpoints"/>); anything else is refused as a security event and recorded nowhere here.
/// </summary>
public sealed class ModelTrainedConsumer(
    WorkspaceLayout workspace,
    GenerationEvaluator evaluator,
    ILogger<ModelTrainedConsumer> logger) : IConsumer<ModelTrained>
{
    public async Task Consume(ConsumeContext<ModelTrained> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await CollectAsync(context).ConfigureAwait(false);
        }
        catch (Exception exception) when (PipelineEndpoint.GaveUpOnPassingFailure(context, exception))
        {
            await AttemptReports.ReportStalledAsync(context, context.Message.GenerationId, GenerationStages.Evaluation, exception, logger).ConfigureAwait(false);
            throw;
        }
    }

    private async Task CollectAsync(ConsumeContext<ModelTrained> context)
    {
        var trained = context.Message;
        if (trained.Checkpoint != CheckpointReferences.Trained(trained.GenerationId, trained.Variant))
        {
            throw new UntrustedInputException(
                trained.Checkpoint, $"ModelTrained for {trained.GenerationId}/{trained.Variant} names checkpoint {trained.Checkpoint}, not its own: refused");
        }

        TrainedCheckpoints.Resolve(workspace, trained.Checkpoint, trained.CheckpointSha256);
        TrainedArrivals.Record(workspace, trained);
        var present = TrainedArrivals.Present(workspace, trained.GenerationId, trained.Variants);
        if (present.Count < trained.Variants.Count)
        {
            logger.LogInformation("{GenerationId}: {Count}/{Total} variants trained", trained.GenerationId, present.Count, trained.Variants.Count);
            return;
        }

        var completed = await evaluator.EvaluateGenerationAsync(trained.GenerationId, trained.GenerationNumber, present, context.CancellationToken).ConfigureAwait(false);
        await context.Publish(completed, context.CancellationToken).ConfigureAwait(false);
    }
}
