using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HotDistance.Trainer;

/// <summary>Checks a few times a second whether a generation is due.</summary>
public sealed class GenerationPlannerService(IServiceScopeFactory scopes, ILogger<GenerationPlannerService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                using var scope = scopes.CreateScope();
                var planner = scope.ServiceProvider.GetRequiredService<GenerationPlanner>();
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
