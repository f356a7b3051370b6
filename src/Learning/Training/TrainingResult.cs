using HotDistance.Learning.Checkpoints;

namespace HotDistance.Learning.Training;

/// <summary>The finished model; <see cref="StartStep"/> is where this run began (0 fresh, &gt;0 resumed).</summary>
public sealed record TrainingResult(string CheckpointDirectory, CheckpointMetadata Metadata, int StartStep)
{
    /// <summary>How long this run spent turning the crops into targets and tensors before its first step (zero when it found the job finished).</summary>
    public TimeSpan TargetsTime { get; init; }
}
