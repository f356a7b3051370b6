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

    /// <summary>Its evaluation or promotion gave up after the retries; the evaluator's sweep takes it up again.</summary>
    public const string Waiting = "waiting";

    /// <param name="stall">A stall of the step the generation is at (its evaluation, or once evaluated its promotion).</param>
    public static string Derive(IReadOnlyCollection<JobStatus> jobs, bool evaluated, string? promotionOutcome, GenerationStall? stall)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (promotionOutcome is not null)
        {
            return promotionOutcome;
        }

        if (stall is not null)
        {
            return Waiting;
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
