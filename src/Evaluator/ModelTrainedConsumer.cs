using HotDistance.Contracts;
using HotDistance.Core.IO;
using HotDistance.Core.Workspace;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace HotDistance.Evaluator;

/// <summary>
/// Collects a generation's trained variants (each arrival is a file in the shared workspace, so the tally
/// survives restarts and works across processes) and evaluates once all are in. A duplicate arrival or a
/// redelivery after evaluation republishes the stored result instead of evaluating again.
/// </summary>
public sealed class ModelTrainedConsumer(
    WorkspaceLayout workspace,
    GenerationEvaluator evaluator,
    ILogger<ModelTrainedConsumer> logger) : IConsumer<ModelTrained>
{
    public async Task Consume(ConsumeContext<ModelTrained> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var trained = context.Message;
        var arrivals = Path.Combine(workspace.Evaluation(trained.GenerationId), "trained");
        Directory.CreateDirectory(arrivals);
        AtomicFile.WriteJson(workspace.Inside(Path.Combine(arrivals, $"{trained.Variant}.json")), trained);

        var present = trained.Variants
            .Select(v => workspace.Inside(Path.Combine(arrivals, $"{v}.json")))
            .Where(File.Exists)
            .Select(f => AtomicFile.ReadJson<ModelTrained>(f)!)
            .ToList();
        if (present.Count < trained.Variants.Count)
        {
            logger.LogInformation("{GenerationId}: {Count}/{Total} variants trained", trained.GenerationId, present.Count, trained.Variants.Count);
            return;
        }

        var completed = await evaluator.EvaluateGenerationAsync(trained.GenerationId, trained.GenerationNumber, present, context.CancellationToken).ConfigureAwait(false);
        await context.Publish(completed, context.CancellationToken).ConfigureAwait(false);
    }
}
