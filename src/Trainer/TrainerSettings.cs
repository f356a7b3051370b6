using HotDistance.Learning.Training;

namespace HotDistance.Trainer;

/// <summary>
/// Crops that arrive within <see cref="Debounce"/> of each other become one generation, up to
/// <see cref="MaxBatch"/> crops; then each variant is trained with <see cref="Training"/>.
/// </summary>
public sealed record TrainerSettings
{
    public TrainingSettings Training { get; init; } = new();

    public TimeSpan Debounce { get; init; } = TimeSpan.FromSeconds(3);

    public int MaxBatch { get; init; } = 32;

    public string RunnerName { get; init; } = Environment.MachineName;
}
