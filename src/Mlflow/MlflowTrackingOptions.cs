namespace HotDistance.Mlflow;

/// <summary>How the pipeline's runs are tracked on an MLflow server: the experiment, and how hard tracking tries.</summary>
public sealed record MlflowTrackingOptions
{
    public const string DefaultExperiment = "hotdistance";

    /// <summary>The experiment that holds the pipeline's runs (one per pipeline).</summary>
    public string Experiment { get; init; } = DefaultExperiment;

    /// <summary>How often buffered metrics are sent while the server answers.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between tries while the server does not answer (the wait doubles from <see cref="FlushInterval"/>).</summary>
    public TimeSpan MaxRetryInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Metrics a run holds while the server does not answer (two per training step); beyond that the oldest are
    /// dropped, counted and reported when the run ends.
    /// </summary>
    public int BufferCapacity { get; init; } = 100_000;

    /// <summary>How long ending a run may wait for the server before its unsent record is given up.</summary>
    public TimeSpan EndTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
