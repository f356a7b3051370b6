using HotDistance.Core.Tracking;
using HotDistance.Hosting;
using HotDistance.Hosting.Configuration;
using HotDistance.Mlflow;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotDistance.Tests.Hosting;

/// <summary>Tracking is on exactly when an MLflow server is configured, whatever the registry, in the experiment the configuration names.</summary>
public sealed class ExperimentTrackersTests
{
    [Fact]
    public void Tracking_is_on_with_a_tracking_uri_whatever_the_registry_and_off_without_one()
    {
        using var temp = new TempDirectory();
        var local = Load(temp, new() { [EnvironmentAliases.Mlflow] = "http://127.0.0.1:1/" }).Settings;
        var none = Load(temp).Settings;

        Assert.Equal("local", local.Registry);
        using var tracker = Assert.IsType<MlflowExperimentTracker>(ExperimentTrackers.Create(local, NullLoggerFactory.Instance));
        Assert.Same(NoExperimentTracker.Instance, ExperimentTrackers.Create(none, NullLoggerFactory.Instance));
    }

    [Fact]
    public void The_experiment_is_hotdistance_unless_mlflow_experiment_name_says_otherwise_and_cannot_be_blank()
    {
        using var temp = new TempDirectory();

        Assert.Equal("hotdistance", Load(temp).Settings.MlflowExperiment);
        var named = Load(temp, new() { [EnvironmentAliases.MlflowExperiment] = "lab-a" });
        Assert.Equal("lab-a", named.Settings.MlflowExperiment);
        Assert.Equal("environment MLFLOW_EXPERIMENT_NAME", named.Sources.OriginOf("mlflowExperiment"));
        var blank = Assert.Throws<ConfigurationException>(() => Load(temp, new() { [EnvironmentAliases.MlflowExperiment] = " " }));
        Assert.Contains(blank.Problems, p => p.StartsWith("mlflowExperiment = ' ' (from environment MLFLOW_EXPERIMENT_NAME): name the MLflow experiment", StringComparison.Ordinal));
    }

    private static LoadedConfiguration Load(TempDirectory temp, Dictionary<string, string>? environment = null)
    {
        var commandLine = new ConfigurationLayer();
        commandLine.Set("pipeline:workspace", temp.Combine("workspace"), "--workspace");
        return HostConfiguration.Load(null, commandLine, environment ?? []);
    }
}
