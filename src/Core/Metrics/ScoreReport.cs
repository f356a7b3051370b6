namespace HotDistance.Core.Metrics;

/// <summary>
/// Per-class pooled scores, the per-crop breakdown and the overall score: the geometric mean of the mean
/// semantic IoU and the mean instance combined score. Where only one kind of class was scored the overall score
/// is that kind's mean (the challenge would give 0); with no class at all it is 0.
/// </summary>
public sealed record ScoreReport(IReadOnlyList<ClassScore> Classes, IReadOnlyList<CropClassScore> Crops)
{
    /// <summary>Mean pooled IoU over semantic classes; null when there are none.</summary>
    public double? SemanticScore => Mean(ClassKind.Semantic);

    /// <summary>Mean combined score over instance classes; null when there are none.</summary>
    public double? InstanceScore => Mean(ClassKind.Instance);

    public double Overall => (SemanticScore, InstanceScore) switch
    {
        ({ } semantic, { } instance) => Math.Sqrt(semantic * instance),
        ({ } semantic, null) => semantic,
        (null, { } instance) => instance,
        _ => 0.0,
    };

    public ClassScore? ForClass(string className) => Classes.FirstOrDefault(c => c.ClassName == className);

    private double? Mean(ClassKind kind)
    {
        var scores = Classes.Where(c => c.Kind == kind).Select(c => c.Score).ToList();
        return scores.Count == 0 ? null : scores.Average();
    }
}
