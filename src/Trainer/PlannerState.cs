namespace HotDistance.Trainer;

/// <summary>The generation planner's durable state (generations/planner.json).</summary>
public sealed record PlannerState
{
    public int NextGeneration { get; init; } = 1;

    public List<string> PendingCropIds { get; init; } = [];

    public List<string> SeenContentHashes { get; init; } = [];

    public DateTimeOffset LastArrival { get; init; }

    public List<PlannedGeneration> Generations { get; init; } = [];
}

public sealed record PlannedGeneration(string GenerationId, int Number, List<string> CropIds, List<string> NewCropIds, bool Published);
