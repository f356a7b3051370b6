using System.ComponentModel.DataAnnotations;

namespace HotDistance.Evaluator;

/// <summary>The nightly re-evaluation (see <see cref="Nightly.NightlyRunner"/>).</summary>
public sealed record NightlySettings
{
    public bool Enabled { get; init; } = true;

    /// <summary>Quartz cron expression (seconds first); the default is 02:00 every day.</summary>
    public string Cron { get; init; } = "0 0 2 * * ?";

    /// <summary>Time zone id the cron is read in; null is the machine's local zone.</summary>
    public string? TimeZone { get; init; }

    /// <summary>A run missed while no evaluator was up runs once at the next start.</summary>
    public bool CatchUpOnStart { get; init; } = true;

    /// <summary>How far the champion's overall score may fall below its previous nightly score before it counts as a regression.</summary>
    [Range(0.0, 1.0)]
    public double RegressionTolerance { get; init; } = 0.02;

    /// <summary>Publish <see cref="Contracts.RetrainingRequested"/> when a regression is found.</summary>
    public bool RequestRetrainingOnRegression { get; init; } = true;
}
