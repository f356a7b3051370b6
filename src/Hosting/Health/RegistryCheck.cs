using HotDistance.Core;
using HotDistance.Core.Registry;
using HotDistance.Core.Security;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HotDistance.Hosting.Health;

/// <summary>The model registry answers: it says who the champion is (or that there is none yet).</summary>
internal sealed class RegistryCheck(IModelRegistry registry, PipelineSettings pipeline) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var champion = await registry.GetByAliasAsync(pipeline.ModelName, RegistryAliases.Champion, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy(champion is null ? "no champion yet" : $"champion v{champion.Version}");
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy(Redaction.Text(exception.Message));
        }
    }
}
