using HotDistance.Contracts;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace HotDistance.SiteAgent;

/// <summary>
/// Tells the pipeline which model this site runs (<see cref="SiteReported"/>, which the catalog records): after
/// the first look at the champion once the site starts, after every switch, and after a report that could not be
/// published. It reports what current.json says, so a switch made by another process on the same folder (an
/// <c>hd predict</c> that fetched) is reported by the next look too. Reporting is best effort: the site runs its
/// model whether or not the pipeline has heard, and a failed report is tried again at the next look.
/// </summary>
public sealed class SiteReporter(
    SiteLayout site,
    SiteSettings settings,
    IBus bus,
    TimeProvider clock,
    ILogger<SiteReporter> logger) : IDisposable
{
    /// <summary>Reports take turns (a promotion's and the poll's), so they leave in the order the site switched.</summary>
    private readonly SemaphoreSlim turns = new(1, 1);

    private SitePointer? reported;

    /// <summary>The site's name in its reports: its site id, else its machine and folder (stable across restarts).</summary>
    public static string SiteName(SiteSettings settings, SiteLayout site)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(site);
        return string.IsNullOrWhiteSpace(settings.SiteId) ? $"{Environment.MachineName}:{site.Root}" : settings.SiteId.Trim();
    }

    /// <summary>Publishes the site's current model unless it is the one last reported; a site with no model says nothing.</summary>
    public async Task ReportAsync(CancellationToken cancellationToken)
    {
        await turns.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = site.ReadCurrent();
            if (current is null || (reported is { } last && last.Version == current.Version && string.Equals(last.Sha256, current.Sha256, StringComparison.OrdinalIgnoreCase)))
            {
                return;
            }

            var report = new SiteReported(SiteName(settings, site), current.ModelName, current.Version, current.Sha256, clock.GetUtcNow());
            try
            {
                await bus.Publish(report, cancellationToken).ConfigureAwait(false);
                reported = current;
            }
#pragma warning disable CA1031 // Any publish failure is survivable: the site keeps its model and the next look reports again.
            catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
            {
                logger.LogWarning("site {Site}: could not report that it runs {Model} v{Version}; the next look tries again: {Reason}",
                    report.Site, report.ModelName, report.Version, exception.Message);
            }
        }
        finally
        {
            turns.Release();
        }
    }

    public void Dispose() => turns.Dispose();
}
