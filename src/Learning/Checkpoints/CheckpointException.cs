namespace HotDistance.Learning.Checkpoints;

public sealed class CheckpointException(string directory, string problem)
    : Exception($"checkpoint {directory} {problem}")
{
    public string Directory { get; } = directory;
}
