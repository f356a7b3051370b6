using HotDistance.Core.Workspace;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HotDistance.Hosting.Health;

/// <summary>The shared workspace answers and takes writes (a mount that went away or turned read-only does not).</summary>
internal sealed class WorkspaceWritableCheck(WorkspaceLayout workspace) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var probe = Path.Combine(workspace.Root, $".health-{Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(workspace.Root);
            await File.WriteAllTextAsync(probe, DateTimeOffset.UtcNow.ToString("O"), cancellationToken).ConfigureAwait(false);
            File.Delete(probe);
            return HealthCheckResult.Healthy(workspace.Root);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return HealthCheckResult.Unhealthy($"{workspace.Root} takes no writes: {exception.Message}");
        }
    }
}
