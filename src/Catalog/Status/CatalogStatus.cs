namespace HotDistance.Catalog.Status;

/// <summary>A snapshot of the catalog, as <c>hd status</c> shows it.</summary>
public sealed record CatalogStatus(
    CropSummary Crops,
    IReadOnlyList<GenerationStatus> Generations,
    IReadOnlyList<EvaluationSummary> Evaluations,
    IReadOnlyList<PromotionEntry> Promotions,
    SecurityEvents SecurityEvents)
{
    /// <summary>A catalog with nothing recorded yet.</summary>
    public static CatalogStatus Empty { get; } = new(new CropSummary(0, [], [], 0, []), [], [], [], SecurityEvents.None);

    /// <summary>The most recent promotion: the model inference sites should be running.</summary>
    public PromotionEntry? Champion => Promotions.LastOrDefault(p => p.Outcome == PromotionOutcomes.Promoted);
}
