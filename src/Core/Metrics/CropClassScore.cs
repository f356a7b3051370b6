namespace HotDistance.Core.Metrics;

/// <summary>
/// One class in one crop. <see cref="Voxels"/> is always filled (also for instance classes, for information);
/// <see cref="Instances"/> only for instance classes.
/// </summary>
public sealed record CropClassScore(string CropName, string ClassName, ClassKind Kind, ConfusionCounts Voxels, InstanceEvaluation? Instances)
{
    public double IoU => Voxels.IoU;

    public double Dice => Voxels.Dice;

    /// <summary>The score this crop alone would give the class: IoU for semantic classes, combined for instance classes.</summary>
    public double Score => Instances is null ? Voxels.IoU : Instances.Counts.Combined;
}
