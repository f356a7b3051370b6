using HotDistance.Ablation;
using HotDistance.Contracts;
using HotDistance.Core.IO;
using HotDistance.Core.Security;
using HotDistance.Core.Workspace;
using HotDistance.Messaging;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HotDistance.Trainer;

/// <summary>
/// Trains and scores one cell of an ablation that <c>hd ablate --distribute</c> planned in the shared workspace.
/// Idempotent by (ablation, cell): a cell whose result is there is not run again, a duplicate waits on the cell's lock
/// and then finds it finished, and a cell cut short resumes from its checkpoint. A cell that fails for good (it
/// diverged, or its last attempt failed) leaves a failure record, so the command waiting for it stops with the reason.
/// </summary>
public sealed class AblationCellRequestedConsumer(
    WorkspaceLayout workspace,
    TrainerSettings settings,
    IHostApplicationLifetime lifetime,
    ILogger<AblationCellRequestedConsumer> logger) : IConsumer<AblationCellRequested>
{
    public const string AblationsDirectory = "ablations";

    private static readonly TimeSpan CellLockTimeout = TimeSpan.FromDays(2);

    /// <summary>Where an ablation planned for the pipeline's runners lives in the shared workspace.</summary>
    public static string FolderOf(WorkspaceLayout workspace, string ablationId)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        return workspace.Inside(Path.Combine(workspace.Root, AblationsDirectory, ablationId));
    }

    public async Task Consume(ConsumeContext<AblationCellRequested> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Message;
        var folder = FolderOf(workspace, request.AblationId);
        if (!File.Exists(Path.Combine(folder, AblationPlanFile.FileName)))
        {
            throw new UntrustedInputException(folder, $"ablation {request.AblationId} has no plan in {folder}: refused");
        }

        var (ablation, inputs) = AblationPlanFile.Read(folder, settings.Training.Device);
        var cell = AblationGrid.Compose(ablation).FirstOrDefault(c => c.Key == request.CellId)
            ?? throw new UntrustedInputException(folder, $"ablation {request.AblationId} has no cell {request.CellId}: refused");
        var directory = AblationRunner.CellDirectory(folder, cell);
        Directory.CreateDirectory(directory);
        using var cellLock = await DirectoryLock.AcquireAsync(directory, context.CancellationToken, CellLockTimeout).ConfigureAwait(false);
        if (CellResultFile.Read(directory) is { } done && done.Fingerprint == CellFingerprint.Of(cell, ablation, inputs))
        {
            logger.LogInformation("ablation {AblationId}: cell {Cell} is already finished (overall {Overall:F3})", request.AblationId, cell.Label, done.Overall);
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        try
        {
            var result = await new LocalCellRunner(ablation, inputs).RunAsync(cell, directory, null, stop.Token).ConfigureAwait(false);
            logger.LogInformation("ablation {AblationId}: cell {Cell} finished, overall {Overall:F3}", request.AblationId, cell.Label, result.Overall);
        }
        catch (Exception exception) when (exception is not OperationCanceledException && !PipelineEndpoint.WillRetry(context, exception))
        {
            CellResultFile.WriteFailure(directory, new CellFailure(settings.RunnerName, $"{exception.GetType().Name}: {exception.Message}", DateTimeOffset.UtcNow));
            logger.LogError("ablation {AblationId}: cell {Cell} failed for good: {Reason}", request.AblationId, cell.Label, exception.Message);
            throw;
        }
    }
}
