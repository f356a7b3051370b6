using HotDistance.Contracts;
using HotDistance.Core.Crops;
using HotDistance.Core.Workspace;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HotDistance.Ingest;

/// <summary>
/// No stored crop is left unannounced: at start and every <see cref="IngestSettings.PollInterval"/>, a host with
/// the ingest role announces the crops in the store that were never announced: those <c>hd ingest</c> stored without
/// a broker (its own process has no pipeline to tell), and those whose ingest crashed between storing and
/// announcing. Only crops stored longer than <see cref="IngestSettings.AnnounceUnannouncedAfter"/> ago count, so an
/// ingest in progress (stored, about to announce) is left to finish; a crop announced twice would be harmless anyway,
/// since the planner keys crops by content hash.
/// </summary>
public sealed class StoredCropAnnouncer(
    IngestSettings settings,
    WorkspaceLayout workspace,
    CropStore store,
    IBus bus,
    ILogger<StoredCropAnnouncer> logger) : BackgroundService
{
    /// <summary>Announces every stored crop not announced yet; returns how many.</summary>
    public async Task<int> AnnounceOnceAsync(CancellationToken cancellationToken)
    {
        var announced = 0;
        var storedBefore = DateTimeOffset.UtcNow - settings.AnnounceUnannouncedAfter;
        foreach (var entry in store.List().Where(e => e.IngestedAt <= storedBefore && !store.IsAnnounced(e.CropId)))
        {
            await bus.Publish(Announcement(entry, workspace), cancellationToken).ConfigureAwait(false);
            store.MarkAnnounced(entry.CropId);
            logger.LogInformation("{CropId} ({Name}) was stored but not announced; announced now", entry.CropId, entry.Name);
            announced++;
        }

        return announced;
    }

    /// <summary>
    /// The event that tells the pipeline a stored crop is there; its store path is relative to the workspace, which
    /// each host mounts where it likes.
    /// </summary>
    public static CropIngested Announcement(StoredCrop entry, WorkspaceLayout workspace)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(workspace);
        var storePath = Path.GetRelativePath(workspace.Root, entry.Path).Replace('\\', '/');
        return new CropIngested(entry.CropId, entry.ContentHash, entry.Name, entry.Split, entry.Classes, entry.Shape, entry.VoxelSizeNm, storePath, entry.IngestedAt);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.Announce)
        {
            return;
        }

        using var timer = new PeriodicTimer(settings.PollInterval);
        do
        {
            try
            {
                await AnnounceOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The broker or the store is away for a moment; the next round tries again.
                logger.LogWarning("stored crops could not be announced now, trying again in {Interval}: {Reason}", settings.PollInterval, exception.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
