using HotDistance.Core.IO;
using HotDistance.Core.Workspace;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HotDistance.Ingest;

/// <summary>
/// Polls the drop folder. A dataset <c>X.zarr</c> is read only once <c>X.zarr.ready</c> exists: whoever copies a
/// crop writes the marker after the copy, so a half-copied crop is never read. What was ingested is recorded in
/// the workspace (by path and marker time), so a restart does not ingest it again; touching the marker asks
/// for another look (the store still recognises unchanged content).
/// </summary>
public sealed class DropFolderWatcher(
    IngestSettings settings,
    WorkspaceLayout workspace,
    IServiceScopeFactory scopes,
    ILogger<DropFolderWatcher> logger) : BackgroundService
{
    public const string ReadyMarkerSuffix = ".ready";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.WatchFolder is not { } folder)
        {
            return;
        }

        var ledgerPath = Path.Combine(workspace.Root, "ingest", "drop-folder.json");
        logger.LogInformation("watching {Folder} every {Interval} for <name>.zarr with <name>.zarr{Marker}", folder, settings.PollInterval, ReadyMarkerSuffix);
        using var timer = new PeriodicTimer(settings.PollInterval);
        do
        {
            var ledger = File.Exists(ledgerPath)
                ? AtomicFile.ReadJson<Dictionary<string, DateTime>>(ledgerPath) ?? []
                : [];
            foreach (var marker in Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*.zarr" + ReadyMarkerSuffix) : [])
            {
                var dataset = marker[..^ReadyMarkerSuffix.Length];
                var markedAt = File.GetLastWriteTimeUtc(marker);
                if (!Directory.Exists(dataset) || (ledger.TryGetValue(dataset, out var seen) && seen == markedAt))
                {
                    continue;
                }

                using var scope = scopes.CreateScope();
                var outcomes = await scope.ServiceProvider.GetRequiredService<CropIngestor>().IngestAsync(dataset, null, stoppingToken).ConfigureAwait(false);
                logger.LogInformation("{Dataset}: {Outcomes}", dataset, string.Join(", ", outcomes.Select(o => $"{o.Status} {o.CropId}")));
                ledger[dataset] = markedAt;
                AtomicFile.WriteJson(ledgerPath, ledger);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
