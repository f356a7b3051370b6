using HotDistance.Core.Tracking;
using HotDistance.Mlflow;
using Microsoft.Extensions.Logging;

namespace HotDistance.Hosting;

public static class ExperimentTrackers
{
    /// <summary>
    /// Tracking is on whenever an MLflow tracking server is configured (<c>mlflowTrackingUri</c>), whichever registry
    /// the pipeline uses, and off, at no cost, otherwise.
    /// </summary>
    public static IExperimentTracker Create(HostSettings settings, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggers);
        if (settings.MlflowTrackingUri is null)
        {
            return NoExperimentTracker.Instance;
        }

        // Each tracked run retries in its own loop, holding its metrics meanwhile, so a request tries twice and
        // gives up soon: a server that hangs must not hold a run's end for the client's default ten minutes.
        var client = new MlflowClient(ModelRegistries.MlflowOptions(settings) with { MaxAttempts = 2, RequestTimeout = TimeSpan.FromSeconds(10) });
        var tracker = new MlflowExperimentTracker(client, new MlflowTrackingOptions { Experiment = settings.MlflowExperiment }, loggers.CreateLogger<MlflowExperimentTracker>());
        loggers.CreateLogger(typeof(ExperimentTrackers)).LogInformation("tracking runs in MLflow experiment {Experiment} at {Uri}", settings.MlflowExperiment, client.DisplayUri);
        return tracker;
    }
}
