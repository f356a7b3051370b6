using HotDistance.Core.Registry;
using HotDistance.Core.Workspace;

namespace HotDistance.Hosting;

public static class ModelRegistries
{
    public static IModelRegistry Create(HostSettings settings, WorkspaceLayout workspace)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(workspace);
        return settings.Registry switch
        {
            "local" => new LocalModelRegistry(workspace.Registry),
            _ => throw new ArgumentException(
                $"registry '{settings.Registry}' is not available in this build: use HD_REGISTRY=local (the MLflow backend is tracked in issue #6)"),
        };
    }
}
