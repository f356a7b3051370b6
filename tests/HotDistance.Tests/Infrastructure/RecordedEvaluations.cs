using HotDistance.Contracts;
using HotDistance.Core.IO;
using HotDistance.Core.Workspace;
using HotDistance.Learning.Checkpoints;

namespace HotDistance.Tests.Infrastructure;

/// <summary>Evaluations written where the evaluator records them, so that the publisher acts on them.</summary>
internal static class RecordedEvaluations
{
    /// <summary>
    /// An evaluation whose winner is the trained checkpoint of <paramref name="generationId"/>'s
    /// <paramref name="variant"/>, with the SHA-256 of its weights as they are now, recorded.
    /// </summary>
    public static EvaluationCompleted Winner(WorkspaceLayout workspace, string generationId, string variant, double overall, int number = 1)
    {
        var reference = CheckpointReferences.Trained(generationId, variant);
        var sha256 = Checkpoint.ReadVerified(Path.Combine(workspace.Root, reference))?.ModelSha256 ?? "no-checkpoint";
        var winner = new ModelScore(variant, "challenger", reference, sha256, overall, new Dictionary<string, double> { ["mito"] = overall });
        return Record(workspace, new EvaluationCompleted(
            "eval-" + generationId, generationId, number, [winner], winner, "beats the champion", ["held-1"], ["crop-1"], "report.html", DateTimeOffset.UtcNow));
    }

    public static EvaluationCompleted Record(WorkspaceLayout workspace, EvaluationCompleted evaluation)
    {
        Directory.CreateDirectory(workspace.Evaluation(evaluation.EvaluationId));
        AtomicFile.WriteJson(workspace.EvaluationResult(evaluation.EvaluationId), evaluation);
        return evaluation;
    }
}
