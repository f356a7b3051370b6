using HotDistance.Core.IO;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace HotDistance.Hosting.Health;

/// <summary>
/// Runs the host's health checks every <see cref="Interval"/> and writes the result to
/// <see cref="HostSettings.HealthFile"/>, where <c>hd health</c> (a container's health check) reads it: a host
/// that stops writing is as unhealthy as one that reports a failed check.
/// </summary>
internal sealed class HealthFileWriter(HostSettings settings, HealthCheckService checks) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.HealthFile is not { } file)
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval);
        do
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            deadline.CancelAfter(Interval);
            var report = await checks.CheckHealthAsync(deadline.Token).ConfigureAwait(false);
            var health = new HostHealth(
                DateTimeOffset.UtcNow,
                report.Status == HealthStatus.Healthy,
                report.Entries.Select(e => new HostHealthCheck(e.Key, e.Value.Status == HealthStatus.Healthy, e.Value.Description ?? e.Value.Exception?.Message ?? string.Empty)).ToList());
            AtomicFile.WriteJson(file, health);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
