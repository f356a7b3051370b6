using HotDistance.Core.Volumes;
using HotDistance.Hosting;

namespace HotDistance.Tests.Hosting;

public sealed class HostSettingsLoaderTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Operator_variables_reach_the_settings_of_the_roles_they_tune()
    {
        var settings = HostSettingsLoader.FromEnvironment(environment: Environment(
            (HostSettingsLoader.StepsVariable, "120"),
            (HostSettingsLoader.CheckpointEveryVariable, "20"),
            (HostSettingsLoader.IntensityVariable, "minmax:100,3900"),
            (HostSettingsLoader.RunnerVariable, "gpu-node-3"),
            (HostSettingsLoader.QueuePrefixVariable, "lab-a"),
            (HostSettingsLoader.NightlyCronVariable, "0 30 3 * * ?")));

        Assert.Equal(120, settings.Trainer.Training.Steps);
        Assert.Equal(20, settings.Trainer.Training.CheckpointEvery);
        Assert.Equal(IntensityNormalization.MinMax(100, 3900), settings.Trainer.Training.Intensity);
        Assert.Equal("gpu-node-3", settings.Trainer.RunnerName);
        Assert.Equal("lab-a", settings.EndpointPrefix);
        Assert.Equal("0 30 3 * * ?", settings.Evaluator.Nightly.Cron);
        Assert.True(settings.Evaluator.Nightly.Enabled);
        Assert.False(HostSettingsLoader.FromEnvironment(environment: Environment((HostSettingsLoader.NightlyCronVariable, "off"))).Evaluator.Nightly.Enabled);
    }

    [Theory]
    [InlineData(HostSettingsLoader.StepsVariable, "many")]
    [InlineData(HostSettingsLoader.CheckpointEveryVariable, "0")]
    [InlineData(HostSettingsLoader.IntensityVariable, "minmax:3900,100")]
    public void A_bad_number_names_the_variable_and_the_value(string variable, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => HostSettingsLoader.FromEnvironment(environment: Environment((variable, value))));
        Assert.Contains($"{variable}='{value}'", error.Message, StringComparison.Ordinal);
    }
}
