using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace HotDistance.Core.Telemetry;

/// <summary>
/// HotDistance's own traces and metrics, beside MassTransit's: a span per training job and per evaluation, and
/// counters of training steps and finished jobs. Nothing is recorded unless a host exports them (OTLP, when
/// configured); listening is what turns them on.
/// </summary>
public static class PipelineTelemetry
{
    public const string Name = "HotDistance";

    public static ActivitySource Traces { get; } = new(Name);

    public static Meter Metrics { get; } = new(Name);

    /// <summary>Optimiser steps taken, by variant.</summary>
    public static Counter<long> TrainingSteps { get; } = Metrics.CreateCounter<long>("hd.training.steps", "{step}", "Optimiser steps taken");

    /// <summary>Training jobs that finished, by variant and outcome (trained, diverged, failed).</summary>
    public static Counter<long> TrainingJobs { get; } = Metrics.CreateCounter<long>("hd.training.jobs", "{job}", "Training jobs finished");

    /// <summary>Seconds an evaluation of a generation took.</summary>
    public static Histogram<double> EvaluationSeconds { get; } = Metrics.CreateHistogram<double>("hd.evaluation.duration", "s", "Time to score a generation's models");
}
