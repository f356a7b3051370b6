using System.Text.Json.Nodes;
using HotDistance.Cli;
using HotDistance.Hosting.Configuration;
using HotDistance.Tests.Infrastructure;

namespace HotDistance.Tests.Cli;

/// <summary>hd config init writes a file that loads back to the defaults; hd config show says where each value came from.</summary>
public sealed class ConfigVerbTests
{
    [Fact]
    public async Task Init_writes_a_commented_file_that_loads_back_to_every_default()
    {
        using var temp = new TempDirectory();
        var workspace = temp.Combine("workspace");
        var environment = new Dictionary<string, string> { ["HD_WORKSPACE"] = workspace };

        var (exitCode, printed) = await HdProcess.RunAsync(["config", "init"], environment);

        Assert.True(exitCode == ExitCodes.Success, printed);
        var file = Path.Combine(workspace, ConfigurationSources.FileName);
        Assert.Contains("// 1 to 10000000", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        var commandLine = new ConfigurationLayer();
        commandLine.Set("pipeline:workspace", workspace, "--workspace");
        var loaded = HostConfiguration.Load(null, commandLine, new Dictionary<string, string>());
        Assert.Equal(file, loaded.Sources.File);
        var defaults = HostConfiguration.Defaults with { Pipeline = HostConfiguration.Defaults.Pipeline with { Workspace = workspace } };
        Assert.Equal(Lines(defaults), Lines(loaded.Settings));
        Assert.Equal(file, loaded.Sources.OriginOf("evaluator:nightly:cron"));

        var (again, printedAgain) = await HdProcess.RunAsync(["config", "init"], environment);
        Assert.True(again == ExitCodes.BadInput, printedAgain);
        Assert.Contains("--force", printedAgain, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_names_the_source_of_each_value_and_an_invalid_file_stops_every_verb_with_exit_2()
    {
        using var temp = new TempDirectory();
        var workspace = temp.Combine("workspace");
        Directory.CreateDirectory(workspace);
        var file = Path.Combine(workspace, ConfigurationSources.FileName);
        await File.WriteAllTextAsync(file, """{ "trainer": { "training": { "learningRate": 0.001 } } }""");
        var environment = new Dictionary<string, string> { ["HD_WORKSPACE"] = workspace, ["HD_TRAIN_STEPS"] = "75" };

        var (exitCode, printed) = await HdProcess.RunAsync(["config", "show", "--json"], environment);

        Assert.True(exitCode == ExitCodes.Success, printed);
        var shown = JsonNode.Parse(printed)!;
        Assert.Equal(("75", "environment HD_TRAIN_STEPS"), Entry(shown, "trainer:training:steps"));
        Assert.Equal(("0.001", file), Entry(shown, "trainer:training:learningRate"));
        Assert.Equal(("2", "default"), Entry(shown, "trainer:training:batchSize"));
        Assert.Equal((workspace, "environment HD_WORKSPACE"), Entry(shown, "pipeline:workspace"));

        await File.WriteAllTextAsync(file, """{ "trainer": { "training": { "learningRate": -1, "stpes": 5 } } }""");
        foreach (var verb in new[] { new[] { "config", "show" }, ["status"], ["run", "--roles", "trainer"] })
        {
            var (failed, printedFailure) = await HdProcess.RunAsync(verb, environment);
            Assert.True(failed == ExitCodes.BadInput, $"hd {string.Join(' ', verb)}: exit {failed}{Environment.NewLine}{printedFailure}");
            Assert.Contains("trainer:training:stpes", printedFailure, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled", printedFailure, StringComparison.Ordinal);
        }
    }

    private static List<string> Lines(HotDistance.Hosting.HostSettings settings) =>
        SettingsDocument.Flatten(settings).Where(e => e.Key != "trainer:runnerName").Select(e => $"{e.Key} = {SettingsDocument.Format(e.Value)}").ToList();

    private static (string? Value, string? Source) Entry(JsonNode shown, string key) =>
        ((string?)shown[key]?["value"], (string?)shown[key]?["source"]);
}
