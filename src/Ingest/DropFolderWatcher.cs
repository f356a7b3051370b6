using HotDistance.Core.IO;
using HotDistance.Core.Workspace;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HotDistance.Ingest;

/// <summary>
/// Polls the drop folder (no file events: they are unreliable on network mounts). A source <c>X</c> (a
/// <c>X.zarr</c> dataset, a TIFF folder with crop.json, an <c>X.h5</c> file) is read only once <c>X.ready</c>
/// exists: whoever copies a crop writes the marker after the copy, so a half-copied crop is never read. What was
/// ingested is recorded in the workspace (by path and marker time), so a restart does not ingest it again;
/// touching the marker asks for another look (the store still recognises unchanged content).
/// </summary>
public sealed class DropFolderWatcher(
    IngestSettings settings,
    WorkspaceLayout workspace,
    IServiceScopeFactory scopes,
    ILogger<DropFolderWatcher> logger) : BackgroundService
{
    public const string ReadyMarkerSuffix = ".ready";

    private readonly SemaphoreSlim polling = new(1, 1);

    /// <summary>Problems already logged (source, marker time and reason), so a lasting one is said once.</summary>
    private readonly HashSet<string> reported = new(StringComparer.Ordinal);

    private string LedgerPath => Path.Combine(workspace.Root, "ingest", "drop-folder.json");

    /// <summary>
    /// One look at the drop folder: ingests every source whose ready marker is new; returns how many. Looks take
    /// turns, so a source is never taken by two at once (the timer's and one asked for by hand).
    /// </summary>
    public async Task<int> PollOnceAsync(CancellationToken cancellationToken)
    {
        if (settings.WatchFolder is not { } folder || !Directory.Exists(folder))
        {
            return 0;
        }

        await polling.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await PollAsync(folder, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            polling.Release();
        }
    }

    public override void Dispose()
    {
        polling.Dispose();
        base.Dispose();
    }

    private async Task<int> PollAsync(string folder, CancellationToken cancellationToken)
    {
        var ledger = File.Exists(LedgerPath)
            ? AtomicFile.ReadJson<Dictionary<string, DateTime>>(LedgerPath) ?? []
            : [];
        var ingested = 0;
        foreach (var marker in Directory.EnumerateFiles(folder, "*" + ReadyMarkerSuffix).Order(StringComparer.Ordinal))
        {
            var source = marker[..^ReadyMarkerSuffix.Length];
            var markedAt = File.GetLastWriteTimeUtc(marker);
            if (!(Directory.Exists(source) || File.Exists(source)) || (ledger.TryGetValue(source, out var seen) && seen == markedAt))
            {
                continue;
            }

            try
            {
                using var scope = scopes.CreateScope();
                var outcomes = await scope.ServiceProvider.GetRequiredService<CropIngestor>().IngestAsync(source, null, cancellationToken).ConfigureAwait(false);
                logger.LogInformation("{Source}: {Outcomes}", source, string.Join(", ", outcomes.Select(o => $"{o.Status} {o.CropId}")));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Not the crop's fault (a full disk, a lost mount, a file it may not read): leave it out of the ledger,
                // go on with the next source, and try again next poll, saying so once, not every poll.
                if (reported.Add($"{source}|{markedAt:O}|{exception.Message}"))
                {
                    logger.LogError("{Source}: could not be ingested now ({Reason}); the drop folder goes on and tries it again at each poll", source, exception.Message);
                }

                continue;
            }

            ledger[source] = markedAt;
            AtomicFile.WriteJson(LedgerPath, ledger);
            ingested++;
        }

        return ingested;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.WatchFolder is not { } folder)
        {
            return;
        }

        logger.LogInformation("watching {Folder} every {Interval} for <name> with <name>{Marker}", folder, settings.PollInterval, ReadyMarkerSuffix);
        using var timer = new PeriodicTimer(settings.PollInterval);
        do
        {
            await PollOnceAsync(stoppingToken).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
