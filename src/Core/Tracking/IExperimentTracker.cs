namespace HotDistance.Core.Tracking;

/// <summary>
/// Experiment tracking of the pipeline's work (MLflow when a tracking server is configured, nothing otherwise).
/// Tracking is best effort: starting a run, logging to it and ending it never throw and never wait on the server
/// beyond the bounded end (<see cref="ITrackedRun.EndAsync"/>), so a tracking server that is down or slow costs
/// the work nothing but its record.
/// </summary>
public interface IExperimentTracker
{
    /// <summary>
    /// Starts tracking <paramref name="run"/> and returns at once: the run is found again by its
    /// <see cref="TrackedRunSpec.Key"/>, or created, in the background.
    /// </summary>
    ITrackedRun Start(TrackedRunSpec run);
}
