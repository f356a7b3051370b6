using HotDistance.Contracts;
using HotDistance.Learning.Runtime;
using HotDistance.Messaging;
using HotDistance.SiteAgent.Blockwise;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace HotDistance.SiteAgent.Predictor;

/// <summary>
/// Segments one block of a distributed blockwise job (<c>hd predict --distribute</c>). Idempotent by (output folder,
/// block index): a block whose done record exists is skipped, and a block done twice (a redelivery racing the first)
/// writes the same bytes. A block cut short by a killed predictor has no done record and its message was never
/// acknowledged, so the broker hands it to another predictor, which does it whole. A block that fails for good leaves
/// a failure record with the reason in the output folder, where the waiting command shows it.
/// </summary>
public sealed class PredictionBlockRequestedConsumer(
    PredictorSettings settings,
    PredictorModels models,
    ILogger<PredictionBlockRequestedConsumer> logger) : IConsumer<PredictionBlockRequested>
{
    public Task Consume(ConsumeContext<PredictionBlockRequested> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Message;
        var (output, job) = BlockJobFolder.Open(request, settings);
        var index = request.BlockIndex;
        if (output.ReadDone(index) is not null || output.IsComplete())
        {
            logger.LogInformation("predictor {Worker}: block {Index} of {Output} is already done; skipped", settings.NameOfWorker(), index, output.Root);
            return Task.CompletedTask;
        }

        logger.LogInformation("predictor {Worker}: block {Index} of {Output} started", settings.NameOfWorker(), index, output.Root);
        try
        {
            var segmenter = BlockwiseSegmenter.OpenRecorded(models.For(output, job), output, ComputeDevices.Select(settings.Device));
            var done = segmenter.ProcessBlock(index);
            BlockwiseSegmenter.ReleaseBlockMemory();
            logger.LogInformation("predictor {Worker}: block {Index} of {Output} done in {Seconds:F2} s", settings.NameOfWorker(), index, output.Root, done.Seconds);
        }
        catch (Exception exception) when (exception is not OperationCanceledException && !PipelineEndpoint.WillRetry(context, exception))
        {
            // A duplicate that lost a race with the finished job (the provisional ids it writes are gone) is no failure.
            if (output.ReadDone(index) is not null)
            {
                logger.LogInformation("predictor {Worker}: block {Index} of {Output} was finished by another predictor meanwhile", settings.NameOfWorker(), index, output.Root);
                return Task.CompletedTask;
            }

            output.MarkFailed(new BlockFailure(index, settings.NameOfWorker(), $"{exception.GetType().Name}: {exception.Message}", DateTimeOffset.UtcNow));
            logger.LogError("predictor {Worker}: block {Index} of {Output} failed for good: {Reason}", settings.NameOfWorker(), index, output.Root, exception.Message);
            throw;
        }

        return Task.CompletedTask;
    }
}
