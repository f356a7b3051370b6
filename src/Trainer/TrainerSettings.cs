using System.ComponentModel.DataAnnotations;
using HotDistance.Learning.Training;

namespace HotDistance.Trainer;

/// <summary>
/// Crops that arrive within <see cref="Debounce"/> of each other become one generation, up to
/// <see cref="MaxBatch"/> crops; then each variant is trained with <see cref="Training"/>.
/// </summary>
public sealed record TrainerSettings
{
    public TrainingSettings Training { get; init; } = new();

    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]

    public TimeSpan Debounce { get; init; } = TimeSpan.FromSeconds(3);

    [Range(1, 10_000)]

    public int MaxBatch { get; init; } = 32;

    public string RunnerName { get; init; } = Environment.MachineName;
}
