using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HotDistance.Trainer;

/// <summary>
/// Checks whether a generation is due as soon as a crop arrives, and a few times a second otherwise (debounce
/// windows closing, crops planned by another process's planner).
/// </summary>
public sealed class GenerationPlannerService(GenerationPlanner planner, IServiceScopeFactory scopes, ILogger<GenerationPlannerService> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await planner.WaitForArrivalAsync(Interval, stoppingToken).ConfigureAwait(false);
            try
            {
                using var scope = scopes.CreateScope();
                await planner.TickAsync(scope.ServiceProvider.GetRequiredService<IPublishEndpoint>(), stoppingToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The bus may be reconnecting; the next tick tries again and nothing was marked published.
                logger.LogWarning(exception, "generation planning failed; retrying");
            }
        }
    }
}
