using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HotDistance.SiteAgent;

/// <summary>
/// Looks at the champion when the site starts and then every <see cref="SiteSettings.PollInterval"/>, so a site
/// that was offline during a promotion (or lost an event) catches up. A registry that cannot be reached is
/// logged and tried again at the next tick; the site keeps serving its model meanwhile. After each look the
/// <see cref="SiteReporter"/> tells the pipeline what the site runs (so at start, and after any switch).
/// </summary>
public sealed class ChampionPoller(SiteSettings settings, ChampionFollower follower, SiteReporter reporter, ILogger<ChampionPoller> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        logger.LogInformation("site {Site}: following the champion, polling every {Interval}", follower.Site.Root, settings.PollInterval);
        using var timer = new PeriodicTimer(settings.PollInterval);
        do
        {
            try
            {
                await follower.FollowChampionAsync("poll", null, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed poll (registry down, disk full) must not stop the site; the next tick retries.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                logger.LogWarning(exception, "site {Site}: could not follow the champion: {Message}", follower.Site.Root, exception.Message);
            }

            // Also when the registry was away: the site runs its model all the same, and says so.
            await reporter.ReportAsync(stoppingToken).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
