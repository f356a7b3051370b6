using HotDistance.Core.Registry;
using HotDistance.Core.Workspace;
using HotDistance.Hosting;

namespace HotDistance.Cli;

/// <summary>The configured registry's champion alias (<see cref="ChampionAlias"/>), for verbs that report on it.</summary>
public static class RegistryChampion
{
    public static Task<(ModelVersion? Champion, string? Problem)> AskAsync(HostSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var registry = ModelRegistries.Create(settings, new WorkspaceLayout(settings.Pipeline.Workspace));
        return ChampionAlias.AskAsync(registry, settings.Pipeline.ModelName, cancellationToken);
    }
}
