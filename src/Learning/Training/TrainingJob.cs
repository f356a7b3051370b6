namespace HotDistance.Learning.Training;

/// <summary>
/// One variant to train on a set of crops. <see cref="OutputDirectory"/> receives periodic checkpoints under
/// steps/ and the finished model under final/; a rerun of the same job resumes or returns the finished one.
/// </summary>
public sealed record TrainingJob(
    string Variant,
    IReadOnlyList<string> Classes,
    IReadOnlyList<TrainingCrop> Crops,
    string OutputDirectory,
    string? WarmStartCheckpoint = null,
    string? GenerationId = null);
