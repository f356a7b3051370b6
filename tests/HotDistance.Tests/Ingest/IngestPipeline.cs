using HotDistance.Core;
using HotDistance.Core.Crops;
using HotDistance.Core.Workspace;
using HotDistance.Ingest;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HotDistance.Tests.Ingest;

/// <summary>The ingest role's real services on the MassTransit test harness's in-memory bus.</summary>
internal sealed class IngestPipeline : IAsyncDisposable
{
    private readonly ServiceProvider provider;

    private IngestPipeline(ServiceProvider provider)
    {
        this.provider = provider;
        Harness = provider.GetRequiredService<ITestHarness>();
        Store = provider.GetRequiredService<CropStore>();
        Workspace = provider.GetRequiredService<WorkspaceLayout>();
    }

    public ITestHarness Harness { get; }

    public CropStore Store { get; }

    public WorkspaceLayout Workspace { get; }

    public IServiceScopeFactory Scopes => provider.GetRequiredService<IServiceScopeFactory>();

    public PipelineSettings Settings => provider.GetRequiredService<PipelineSettings>();

    /// <param name="classes">The pipeline's settings (its classes); by default only the workspace differs from the defaults.</param>
    public static async Task<IngestPipeline> StartAsync(string workspaceRoot, IngestSettings? ingest = null, PipelineSettings? classes = null)
    {
        var settings = (classes ?? new PipelineSettings { Workspace = workspaceRoot }) with { Workspace = workspaceRoot };
        var workspace = new WorkspaceLayout(workspaceRoot);
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(settings)
            .AddSingleton(workspace)
            .AddSingleton(ingest ?? new IngestSettings())
            .AddSingleton(new CropStore(workspace.Crops, settings.HeldOutFraction));
        IngestRole.AddServices(services);
        services.AddMassTransitTestHarness(x => x.DisableUsageTelemetry());
        var pipeline = new IngestPipeline(services.BuildServiceProvider(validateScopes: true));
        await pipeline.Harness.Start();
        return pipeline;
    }

    /// <summary>Ingests <paramref name="path"/>; <paramref name="afterStored"/> runs between storing and announcing.</summary>
    public async Task<IReadOnlyList<IngestOutcome>> IngestAsync(string path, Action<string>? afterStored = null)
    {
        using var scope = provider.CreateScope();
        var ingestor = scope.ServiceProvider.GetRequiredService<CropIngestor>();
        ingestor.AfterStep = afterStored;
        return await ingestor.IngestAsync(path, null, CancellationToken.None);
    }

    public ValueTask DisposeAsync() => provider.DisposeAsync();
}
