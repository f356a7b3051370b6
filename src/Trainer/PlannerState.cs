namespace HotDistance.Trainer;

/// <summary>The generation planner's durable state (generations/planner.json).</summary>
public sealed record PlannerState
{
    public int NextGeneration { get; init; } = 1;

    public List<string> PendingCropIds { get; init; } = [];

    public List<string> SeenContentHashes { get; init; } = [];

    public DateTimeOffset LastArrival { get; init; }

    public List<PlannedGeneration> Generations { get; init; } = [];

    /// <summary>Retraining requests already taken up, so a redelivered one opens no second generation.</summary>
    public List<string> RetrainingRequestIds { get; init; } = [];

    /// <summary>A retraining request is waiting: the next tick opens a generation even with no new crops.</summary>
    public bool RetrainingDue { get; init; }
}

public sealed record PlannedGeneration(string GenerationId, int Number, List<string> CropIds, List<string> NewCropIds, bool Published);
