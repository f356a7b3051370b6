namespace HotDistance.Core.Workspace;

/// <summary>
/// Where each role keeps its files under one workspace root. In a multi-machine deployment the root is a shared
/// mount, so roles on different machines see the same crops, checkpoints and reports.
/// </summary>
public sealed class WorkspaceLayout
{
    public WorkspaceLayout(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public string Crops => Path.Combine(Root, "crops");

    public string Quarantine => Path.Combine(Root, "quarantine");

    public string Generations => Path.Combine(Root, "generations");

    public string Evaluations => Path.Combine(Root, "evaluations");

    public string Registry => Path.Combine(Root, "registry");

    public string Promotions => Path.Combine(Root, "promotions");

    public string Generation(string generationId) => Inside(Path.Combine(Generations, generationId));

    public string Checkpoint(string generationId, string variant) => Inside(Path.Combine(Generation(generationId), variant));

    /// <summary>The configuration a generation was planned with (classes, trainer settings), beside its checkpoints.</summary>
    public string GenerationConfiguration(string generationId) => Inside(Path.Combine(Generation(generationId), "configuration.json"));

    public const string EvaluationResultFile = "evaluation.json";

    public string Evaluation(string evaluationId) => Inside(Path.Combine(Evaluations, evaluationId));

    /// <summary>The evaluator's record of one evaluation: the decision the publisher acts on.</summary>
    public string EvaluationResult(string evaluationId) => Inside(Path.Combine(Evaluation(evaluationId), EvaluationResultFile));

    /// <summary>The publisher's record of its decision on one evaluation.</summary>
    public string PromotionRecord(string evaluationId) => Inside(Path.Combine(Promotions, evaluationId + ".json"));

    /// <summary>
    /// <paramref name="path"/>, fully resolved, when it lies inside the workspace: ids that arrive in messages become
    /// parts of paths, and none may lead out (message ids are checked before; this is the last line).
    /// </summary>
    /// <exception cref="ArgumentException">The path resolves outside the workspace.</exception>
    public string Inside(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path, Root);
        return IsUnder(Root, full)
            ? full
            : throw new ArgumentException($"{path} resolves to {full}, outside the workspace {Root}: refused");
    }

    /// <summary>Whether <paramref name="path"/>, resolved (links are not followed), lies below <paramref name="folder"/>.</summary>
    public static bool IsUnder(string folder, string path)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(path);
        return Path.GetFullPath(path).StartsWith(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }
}
