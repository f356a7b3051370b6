namespace HotDistance.Catalog.Status;

/// <summary>How far a generation has come, derived from its jobs, evaluation and promotion decision.</summary>
public static class GenerationStates
{
    public const string Queued = "queued";
    public const string Training = "training";
    public const string Trained = "trained";
    public const string Failed = JobStates.Failed;
    public const string Evaluated = "evaluated";
    public const string Promoted = PromotionOutcomes.Promoted;
    public const string Declined = PromotionOutcomes.Declined;

    public static string Derive(IReadOnlyCollection<JobStatus> jobs, bool evaluated, string? promotionOutcome)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (promotionOutcome is not null)
        {
            return promotionOutcome;
        }

        if (evaluated)
        {
            return Evaluated;
        }

        if (jobs.Any(j => j.State == JobStates.Failed))
        {
            return Failed;
        }

        if (jobs.Count > 0 && jobs.All(j => j.State == JobStates.Done))
        {
            return Trained;
        }

        return jobs.Any(j => j.State != JobStates.Queued) ? Training : Queued;
    }
}
