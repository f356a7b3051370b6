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

    /// <summary>Every rollback of the champion (<c>hd rollback</c>), oldest first.</summary>
    public IReadOnlyList<RollbackEntry> Rollbacks { get; init; } = [];

    /// <summary>The newest nightly re-evaluations (<see cref="StatusLimits.Nightly"/>), oldest first.</summary>
    public IReadOnlyList<NightlyEntry> Nightly { get; init; } = [];

    /// <summary>Every inference site that has reported in, with the model it runs, by site name.</summary>
    public IReadOnlyList<SiteEntry> Sites { get; init; } = [];

    /// <summary>
    /// The champion as the catalog's events tell it: the newest promotion, unless a rollback came after it, then the
    /// version rolled back to (with that version's promotion when the catalog has it). The registry's champion alias
    /// is the authority; <c>hd status</c> shows both when they differ.
    /// </summary>
    public PromotionEntry? Champion
    {
        get
        {
            var promoted = Promotions.LastOrDefault(p => p.Outcome == PromotionOutcomes.Promoted);
            if (Rollbacks.Count == 0 || (promoted is not null && promoted.DecidedAt > Rollbacks[^1].RolledBackAt))
            {
                return promoted;
            }

            var rollback = Rollbacks[^1];
            return Promotions.LastOrDefault(p => p.Outcome == PromotionOutcomes.Promoted && p.ModelName == rollback.ModelName && p.Version == rollback.Version)
                ?? new PromotionEntry(string.Empty, PromotionOutcomes.Promoted, rollback.ModelName, rollback.Version, null, null, null, rollback.Reason, rollback.RolledBackAt);
        }
    }
}
