using HotDistance.Contracts;
using HotDistance.Core.IO;
using HotDistance.Core.Workspace;

namespace HotDistance.Evaluator;

/// <summary>
/// The variants of a generation that have arrived for evaluation: one file per <see cref="ModelTrained"/> under
/// <c>evaluations/&lt;generation&gt;/trained/</c>, so the tally survives restarts and works across processes.
/// </summary>
public static class TrainedArrivals
{
    public static void Record(WorkspaceLayout workspace, ModelTrained trained)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(trained);
        Directory.CreateDirectory(Folder(workspace, trained.GenerationId));
        AtomicFile.WriteJson(FileOf(workspace, trained.GenerationId, trained.Variant), trained);
    }

    /// <summary>The arrivals of <paramref name="variants"/> of a generation that are recorded.</summary>
    public static IReadOnlyList<ModelTrained> Present(WorkspaceLayout workspace, string generationId, IReadOnlyList<string> variants)
    {
        ArgumentNullException.ThrowIfNull(variants);
        return variants
            .Select(v => FileOf(workspace, generationId, v))
            .Where(File.Exists)
            .Select(f => AtomicFile.ReadJson<ModelTrained>(f)!)
            .ToList();
    }

    /// <summary>Every arrival recorded for a generation, whatever variants it was told to expect.</summary>
    public static IReadOnlyList<ModelTrained> All(WorkspaceLayout workspace, string generationId) =>
        Directory.Exists(Folder(workspace, generationId))
            ? Directory.EnumerateFiles(Folder(workspace, generationId), "*.json").Select(f => AtomicFile.ReadJson<ModelTrained>(f)!).ToList()
            : [];

    private static string Folder(WorkspaceLayout workspace, string generationId) =>
        workspace.Inside(Path.Combine(workspace.Evaluation(generationId), "trained"));

    private static string FileOf(WorkspaceLayout workspace, string generationId, string variant) =>
        workspace.Inside(Path.Combine(Folder(workspace, generationId), $"{variant}.json"));
}
