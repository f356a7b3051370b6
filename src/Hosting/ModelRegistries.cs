using HotDistance.Hosting.Configuration;
using HotDistance.Core.Registry;
using HotDistance.Core.Workspace;
using HotDistance.Mlflow;

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
            "mlflow" => new MlflowModelRegistry(new MlflowClient(MlflowOptions(settings))),
            _ => throw new ArgumentException(
                $"registry '{settings.Registry}' is unknown: use {EnvironmentAliases.Registry}=local or {EnvironmentAliases.Registry}=mlflow"),
        };
    }

    /// <summary>The MLflow client's address and credentials, from the configuration.</summary>
    public static MlflowClientOptions MlflowOptions(HostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new MlflowClientOptions
        {
            TrackingUri = settings.MlflowTrackingUri ?? throw new ArgumentException(
                $"registry mlflow needs mlflowTrackingUri ({EnvironmentAliases.Mlflow}), the tracking server's address (e.g. http://mlflow:5000)"),
            Username = settings.MlflowUsername,
            Password = settings.MlflowPassword,
            Token = settings.MlflowToken,
        };
    }
}
