using HotDistance.Core;
using HotDistance.Core.IO;
using HotDistance.Core.Workspace;

namespace HotDistance.Trainer;

/// <summary>
/// The configuration a generation was planned with, written beside its checkpoints
/// (<see cref="WorkspaceLayout.GenerationConfiguration"/>) when it is planned: the pipeline's classes and the
/// planner's trainer settings. Each checkpoint records the training settings its runner actually used.
/// </summary>
public sealed record GenerationConfiguration(string GenerationId, PipelineSettings Pipeline, TrainerSettings Trainer, DateTimeOffset PlannedAt)
{
    public static void Write(WorkspaceLayout workspace, GenerationConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(configuration);
        var path = workspace.GenerationConfiguration(configuration.GenerationId);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteJson(path, configuration);
    }

    public static GenerationConfiguration? Read(WorkspaceLayout workspace, string generationId)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var path = workspace.GenerationConfiguration(generationId);
        return File.Exists(path) ? AtomicFile.ReadJson<GenerationConfiguration>(path) : null;
    }
}
