namespace HotDistance.Catalog.Status;

/// <summary>A training job's loss at one step, as its progress reported it.</summary>
public sealed record LossPoint(long Step, double Loss);
