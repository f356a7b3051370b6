using System.Text.Json.Nodes;
using HotDistance.Catalog;
using HotDistance.Catalog.Status;
using HotDistance.Contracts;
using HotDistance.Core;
using HotDistance.Core.Registry;
using HotDistance.Core.Workspace;
using HotDistance.Learning.Checkpoints;
using Microsoft.Extensions.DependencyInjection;

namespace HotDistance.Dashboard;

/// <summary>
/// What the dashboard shows, read from the catalog, the registry and the workspace on each request: the page polls,
/// so a figure is never older than its refresh. The registry is asked at most every <see cref="RegistryRefresh"/>,
/// since a remote one (MLflow) costs a round trip and every open browser polls.
/// </summary>
public sealed class DashboardData
{
    public static readonly TimeSpan RegistryRefresh = TimeSpan.FromSeconds(10);

    /// <summary>The files an evaluation writes that a person opens: its report, its charts and its figures.</summary>
    private static readonly HashSet<string> ReportExtensions = new(StringComparer.OrdinalIgnoreCase) { ".html", ".png", ".json" };

    private readonly CatalogConnection connection;
    private readonly IPipelineCatalog catalog;
    private readonly IModelRegistry registry;
    private readonly string modelName;
    private readonly WorkspaceLayout workspace;
    private readonly TimeProvider time;
    private readonly Lock registryGate = new();
    private (Task<(ModelVersion? Champion, string? Problem)> Answer, DateTimeOffset AskedAt)? registryAnswer;

    public DashboardData(IServiceProvider services, PipelineSettings pipeline, WorkspaceLayout workspace, IModelRegistry registry, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(pipeline);
        connection = services.GetService<CatalogConnection>()
            ?? throw new ArgumentException($"the dashboard reads the pipeline catalog, which is switched off ({CatalogConnection.EnvironmentVariable}=none): point it at the pipeline's catalog");
        catalog = services.GetRequiredService<IPipelineCatalog>();
        this.registry = registry;
        this.workspace = workspace;
        this.time = time;
        modelName = pipeline.ModelName;
    }

    /// <summary>Reading a SQLite catalog that is not there yet would create it; an empty answer says the same.</summary>
    private bool CatalogExists => connection.Kind != CatalogKind.Sqlite || File.Exists(connection.Target);

    /// <summary>The same document as <c>hd status --json</c> (<see cref="StatusDocument"/>).</summary>
    public async Task<JsonObject> StatusAsync(CancellationToken cancellationToken)
    {
        var exists = CatalogExists;
        var status = exists ? await catalog.ReadStatusAsync(StatusLimits.Default, cancellationToken).ConfigureAwait(false) : CatalogStatus.Empty;
        var (champion, problem) = await RegistryChampionAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return StatusDocument.Create(status, catalog.Description, exists, champion, problem);
    }

    /// <summary>
    /// Each variant's loss per step in a generation, as [step, loss] pairs: a finished job's whole history from its
    /// checkpoint in the workspace, a running job's from its progress reports in the catalog (one a second, so a
    /// sample). Empty for an unknown or invalid id.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, double[][]>> LossCurvesAsync(string generationId, CancellationToken cancellationToken)
    {
        if (!Identifiers.IsValid(generationId) || !CatalogExists)
        {
            return new Dictionary<string, double[][]>();
        }

        var curves = (await catalog.ReadLossCurvesAsync(generationId, cancellationToken).ConfigureAwait(false))
            .ToDictionary(c => c.Key, c => c.Value.Select(p => new[] { p.Step, p.Loss }).ToArray(), StringComparer.Ordinal);
        var generation = workspace.Generation(generationId);
        if (Directory.Exists(generation))
        {
            foreach (var job in Directory.EnumerateDirectories(generation).Where(d => new DirectoryInfo(d).LinkTarget is null))
            {
                var final = Path.Combine(job, CheckpointReferences.FinalFolder);
                if (new DirectoryInfo(final).LinkTarget is null && Checkpoint.ReadMetadata(final) is { } metadata && metadata.LossHistory.Count > 0)
                {
                    curves[metadata.Variant] = metadata.LossPerStep().Select(p => new double[] { p.Step, p.Loss }).ToArray();
                }
            }
        }

        return curves;
    }

    /// <summary>
    /// The full path of an evaluation's report file, or null when the names do not denote one: ids and names come
    /// from the address bar, so each must be a plain name, of a report's kind, inside the workspace, and not a link.
    /// </summary>
    public string? ReportFile(string evaluationId, string fileName)
    {
        if (!Identifiers.IsValid(evaluationId) || fileName != Path.GetFileName(fileName) || fileName.StartsWith('.')
            || !ReportExtensions.Contains(Path.GetExtension(fileName)))
        {
            return null;
        }

        var path = Path.Combine(workspace.Evaluation(evaluationId), fileName);
        var file = new FileInfo(path);
        return WorkspaceLayout.IsUnder(workspace.Evaluations, path) && file.Exists && file.LinkTarget is null && new DirectoryInfo(file.DirectoryName!).LinkTarget is null
            ? path
            : null;
    }

    /// <summary>One question to the registry shared by every request in its window (it is bounded by <see cref="ChampionAlias.Limit"/>).</summary>
    private Task<(ModelVersion? Champion, string? Problem)> RegistryChampionAsync()
    {
        lock (registryGate)
        {
            var now = time.GetUtcNow();
            if (registryAnswer is not { } answer || now - answer.AskedAt >= RegistryRefresh)
            {
                answer = (ChampionAlias.AskAsync(registry, modelName, CancellationToken.None), now);
                registryAnswer = answer;
            }

            return answer.Answer;
        }
    }
}
