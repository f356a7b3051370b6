namespace HotDistance.Catalog.Status;

/// <summary>
/// What the publisher decided for a generation: <see cref="PromotionOutcomes.Promoted"/> (with the registry
/// version) or <see cref="PromotionOutcomes.Declined"/> (with the reason).
/// </summary>
public sealed record PromotionEntry(
    string GenerationId,
    string Outcome,
    string? ModelName,
    long? Version,
    string? Variant,
    double? Overall,
    string? ModelUri,
    string? Reason,
    DateTimeOffset DecidedAt);
