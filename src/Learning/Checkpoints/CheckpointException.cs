using HotDistance.Core;

namespace HotDistance.Learning.Checkpoints;

/// <summary>A checkpoint that is damaged, incomplete or unfit: reading it again would fail the same way.</summary>
public sealed class CheckpointException(string directory, string problem)
    : Exception($"checkpoint {directory} {problem}"), IPermanentFailure
{
    public string Directory { get; } = directory;
}
