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

    public string Generation(string generationId) => Path.Combine(Generations, generationId);

    public string Checkpoint(string generationId, string variant) => Path.Combine(Generation(generationId), variant);

    public string Evaluation(string evaluationId) => Path.Combine(Evaluations, evaluationId);
}
