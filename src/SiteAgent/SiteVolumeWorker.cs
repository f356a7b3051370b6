using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HotDistance.SiteAgent;

/// <summary>
/// Segments the site's volumes (<see cref="SiteVolumeSegmenter"/>) when the site starts (so a restart continues an
/// interrupted segmentation) and again each time the <see cref="ChampionFollower"/> switches, one run at a time, off
/// the follower's path: following the champion and serving the model never wait for a segmentation. Inputs that are
/// not there stop the host at start, named.
/// </summary>
public sealed class SiteVolumeWorker(SiteVolumeSegmenter segmenter, ChampionFollower follower, ILogger<SiteVolumeWorker> logger) : BackgroundService
{
    /// <summary>At most one pending wake-up: switches during a run collapse into one more run, with the newest champion.</summary>
    private readonly Channel<bool> wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        segmenter.CheckInputs();
        follower.Switched += OnSwitched;
        wake.Writer.TryWrite(true);
        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        follower.Switched -= OnSwitched;
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (segmenter.Volumes.Count == 0)
        {
            return;
        }

        try
        {
            await foreach (var _ in wake.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                var results = await SegmentAsync(stoppingToken).ConfigureAwait(false);
                if (results.Any(r => r.Outcome == VolumeOutcome.Abandoned))
                {
                    // The switch that abandoned it may have been made by another process on the folder (no event here).
                    wake.Writer.TryWrite(true);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host stops; a segmentation in progress lost at most its current block.
        }
    }

    private async Task<IReadOnlyList<VolumeSegmentation>> SegmentAsync(CancellationToken stoppingToken)
    {
        try
        {
            return await segmenter.SegmentCurrentAsync(stoppingToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A failed run (disk full) must not stop the site; the next switch or restart tries again.
        catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
        {
            logger.LogError(exception, "site {Site}: could not segment its volumes: {Message}", follower.Site.Root, exception.Message);
            return [];
        }
    }

    private void OnSwitched(object? sender, SitePointer pointer) => wake.Writer.TryWrite(true);
}
