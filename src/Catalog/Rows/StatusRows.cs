namespace HotDistance.Catalog.Rows;

// Rows as the status queries return them. Dapper fills them by (case-insensitive) column alias; integers are long
// and times are text because that is what both SQLite and PostgreSQL hand back for the schema's column types.
#pragma warning disable CA1812 // Instantiated by Dapper.

internal sealed class SplitRow
{
    public string Split { get; set; } = "";

    public long Crops { get; set; }
}

internal sealed class ClassRow
{
    public string ClassName { get; set; } = "";

    public string Split { get; set; } = "";

    public long Crops { get; set; }
}

internal sealed class RollbackRow
{
    public string ModelName { get; set; } = "";

    public long Version { get; set; }

    public long FromVersion { get; set; }

    public string Reason { get; set; } = "";

    public string RolledBackAt { get; set; } = "";
}

internal sealed class SecurityEventRow
{
    public string MessageType { get; set; } = "";

    public string Consumer { get; set; } = "";

    public string Subject { get; set; } = "";

    public string Reason { get; set; } = "";

    public string RefusedAt { get; set; } = "";
}

internal sealed class RejectionRow
{
    public string Source { get; set; } = "";

    public string Reason { get; set; } = "";

    public string QuarantinePath { get; set; } = "";

    public string RejectedAt { get; set; } = "";
}

internal sealed class GenerationRow
{
    public string GenerationId { get; set; } = "";

    public long? Number { get; set; }

    public long? CropCount { get; set; }

    public long? NewCropCount { get; set; }

    public string? RequestedAt { get; set; }

    public string? EvaluationId { get; set; }

    public string? Outcome { get; set; }
}

internal sealed class StallRow
{
    public string GenerationId { get; set; } = "";

    public string Stage { get; set; } = "";

    public string Reason { get; set; } = "";

    public string StalledAt { get; set; } = "";
}

internal sealed class JobRow
{
    public string GenerationId { get; set; } = "";

    public string Variant { get; set; } = "";

    public string State { get; set; } = "";

    public long Step { get; set; }

    public long? TotalSteps { get; set; }

    public double? Loss { get; set; }

    public double? StepsPerSecond { get; set; }

    public string? Runner { get; set; }

    public string? Checkpoint { get; set; }

    public string UpdatedAt { get; set; } = "";

    public string? Failure { get; set; }
}

internal sealed class EvaluationRow
{
    public string GenerationId { get; set; } = "";

    public string EvaluationId { get; set; } = "";

    public long GenerationNumber { get; set; }

    public string? Winner { get; set; }

    public string Reason { get; set; } = "";

    public long HeldOutCrops { get; set; }

    public long TrainingCrops { get; set; }

    public string ReportPath { get; set; } = "";

    public string CompletedAt { get; set; } = "";

    public double? Margin { get; set; }

    public double? ConfidenceLevel { get; set; }
}

internal sealed class ComparisonRow
{
    public string GenerationId { get; set; } = "";

    public string Variant { get; set; } = "";

    public double Overall { get; set; }

    public double ChampionOverall { get; set; }

    public double Difference { get; set; }

    public double IntervalLower { get; set; }

    public double IntervalUpper { get; set; }

    public long ClearsMargin { get; set; }
}

internal sealed class LossPointRow
{
    public string Variant { get; set; } = "";

    public long Step { get; set; }

    public double Loss { get; set; }
}

internal sealed class NightlyRow
{
    public string NightKey { get; set; } = "";

    public string ScheduledFor { get; set; } = "";

    public double? ChampionOverall { get; set; }

    public double? BaselineOverall { get; set; }

    public long Regression { get; set; }

    public long RetrainingRequested { get; set; }

    public string Summary { get; set; } = "";

    public string CompletedAt { get; set; } = "";
}

internal sealed class SiteRow
{
    public string Site { get; set; } = "";

    public string ModelName { get; set; } = "";

    public long Version { get; set; }

    public string Sha256 { get; set; } = "";

    public string ReportedAt { get; set; } = "";
}

internal sealed class ScoreRow
{
    public string GenerationId { get; set; } = "";

    public string Variant { get; set; } = "";

    public string Role { get; set; } = "";

    public double Overall { get; set; }

    public string PerClass { get; set; } = "{}";
}

internal sealed class PromotionRow
{
    public string GenerationId { get; set; } = "";

    public string Outcome { get; set; } = "";

    public string? ModelName { get; set; }

    public long? Version { get; set; }

    public string? Variant { get; set; }

    public double? Overall { get; set; }

    public string? ModelUri { get; set; }

    public string? Reason { get; set; }

    public string DecidedAt { get; set; } = "";
}
#pragma warning restore CA1812
