using HotDistance.Core.Workspace;

namespace HotDistance.Core.Tracking;

/// <summary>
/// The runs the pipeline tracks and the tags that key them: one run per generation, one per training job
/// (generation, variant) nested under it, one per evaluation nested under its generation, and one per nightly
/// re-evaluation (top level, keyed by its night). The roles build
/// their runs from these, so a trainer and an evaluator in different processes find the same generation run.
/// </summary>
public static class PipelineRuns
{
    public const string KindTag = "hd.kind";
    public const string GenerationTag = "hd.generation";
    public const string VariantTag = "hd.variant";
    public const string EvaluationTag = "hd.evaluation";
    public const string NightTag = "hd.night";

    public const string GenerationKind = "generation";
    public const string TrainingKind = "training";
    public const string EvaluationKind = "evaluation";
    public const string NightlyKind = "nightly";

    /// <summary>
    /// The registry tag that names the tracked training run of a model version's weights; a registry on the same
    /// tracking server links the version to that run.
    /// </summary>
    public const string TrainingRunTag = "hd.training_run";

    /// <summary>A generation's run, created by whichever of its jobs or its evaluation comes first, under the generation folder's lock.</summary>
    public static TrackedRunSpec Generation(WorkspaceLayout workspace, string generationId, int generationNumber)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        return new TrackedRunSpec(
            generationId,
            new Dictionary<string, string>(StringComparer.Ordinal) { [KindTag] = GenerationKind, [GenerationTag] = generationId })
        {
            LockDirectory = workspace.Generation(generationId),
            Tags = new Dictionary<string, string>(StringComparer.Ordinal) { ["hd.generation_number"] = generationNumber.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
    }

    /// <summary>The key of a training job's run.</summary>
    public static IReadOnlyDictionary<string, string> TrainingKey(string generationId, string variant) =>
        new Dictionary<string, string>(StringComparer.Ordinal) { [KindTag] = TrainingKind, [GenerationTag] = generationId, [VariantTag] = variant };

    /// <summary>The key of an evaluation's run.</summary>
    public static IReadOnlyDictionary<string, string> EvaluationKey(string generationId, string evaluationId) =>
        new Dictionary<string, string>(StringComparer.Ordinal) { [KindTag] = EvaluationKind, [GenerationTag] = generationId, [EvaluationTag] = evaluationId };

    /// <summary>The key of a nightly re-evaluation's run.</summary>
    public static IReadOnlyDictionary<string, string> NightlyKey(string nightKey) =>
        new Dictionary<string, string>(StringComparer.Ordinal) { [KindTag] = NightlyKind, [NightTag] = nightKey };
}
