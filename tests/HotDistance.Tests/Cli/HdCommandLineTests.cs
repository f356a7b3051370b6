using System.Text.Json;
using System.Text.RegularExpressions;
using HotDistance.Cli;
using HotDistance.Core.Synthetic;
using HotDistance.Core.Volumes;
using HotDistance.Core.Zarr;
using HotDistance.Tests.Infrastructure;

namespace HotDistance.Tests.Cli;

/// <summary>The real hd command line, invoked in-process.</summary>
[Collection(HdConsoleCollectionDefinition.Name)]
public class HdCommandLineTests
{
    [Fact]
    public async Task Demo_trains_evaluates_and_promotes_and_a_resumed_demo_changes_nothing()
    {
        using var temp = new TempDirectory();
        string[] demo = ["demo", "--workspace", temp.Path, "--steps", "4", "--crops", "3", "--size", "24", "--timeout", "5"];

        var first = await HdInProcess.RunAsync(demo);

        Assert.True(first.ExitCode == ExitCodes.Success, first.Output);
        Assert.Contains("promoted", first.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(temp.Path, "evaluations", "gen-0001", "report.html")), first.Output);
        var model = Path.Combine(temp.Path, "registry", "hotdistance");
        var champion = Champion(model);
        Assert.Equal([champion.ToString(System.Globalization.CultureInfo.InvariantCulture)], Versions(model));

        var resumed = await HdInProcess.RunAsync([.. demo, "--resume"]);

        Assert.True(resumed.ExitCode == ExitCodes.Success, resumed.Output);
        Assert.Contains("0 new, 3 already stored", resumed.Output, StringComparison.Ordinal);
        Assert.Equal(champion, Champion(model));
        Assert.Single(Versions(model));
    }

    [Fact]
    public async Task Help_lists_every_verb()
    {
        var help = await HdInProcess.RunAsync(["--help"]);

        Assert.Equal(ExitCodes.Success, help.ExitCode);
        foreach (var verb in new[] { "demo", "run", "ingest", "doctor" })
        {
            Assert.Matches(new Regex($@"^\s+{verb}\s", RegexOptions.Multiline), help.Output);
        }
    }

    [Fact]
    public async Task An_unknown_role_is_bad_input_and_the_message_lists_the_real_ones()
    {
        using var temp = new TempDirectory();

        var run = await HdInProcess.RunAsync(["run", "--workspace", temp.Path, "--roles", "nonsense"]);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("nonsense", run.Output, StringComparison.Ordinal);
        Assert.Contains("ingest, trainer, evaluator, publisher", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_with_a_broker_that_does_not_answer_exits_3_before_storing_anything()
    {
        using var temp = new TempDirectory();
        var crop = temp.Combine("crop.zarr");
        CellMapCropWriter.Write(
            SyntheticCropGenerator.Generate(new SyntheticCropSpec("c", 1, new Shape3(16, 16, 16), VoxelSize.Isotropic(8), SyntheticCropGenerator.Classes)), crop, "crop1");
        var nobody = $"amqp://guest:guest@127.0.0.1:{LoopbackPorts.Reserve(1)[0]}/";

        var ingest = await HdInProcess.RunAsync(["ingest", crop, "--workspace", temp.Combine("workspace"), "--rabbitmq", nobody]);

        Assert.True(ingest.ExitCode == ExitCodes.Unavailable, ingest.Output);
        Assert.Contains("does not answer", ingest.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Combine("workspace", "crops")) && Directory.EnumerateFileSystemEntries(temp.Combine("workspace", "crops")).Any());
    }

    [Fact]
    public async Task Run_and_site_with_a_broker_that_does_not_answer_exit_3_in_seconds_with_one_line()
    {
        using var temp = new TempDirectory();
        var nobody = $"amqp://guest:guest@127.0.0.1:{LoopbackPorts.Reserve(1)[0]}/";
        string[][] verbs = [["run", "--roles", "trainer"], ["site", "--dir", temp.Combine("site")]];
        foreach (var verb in verbs)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var result = await HdInProcess.RunAsync([.. verb, "--workspace", temp.Combine("workspace"), "--rabbitmq", nobody]);

            Assert.True(result.ExitCode == ExitCodes.Unavailable, result.Output);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"hd {verb[0]} took {clock.Elapsed} to give up");
            Assert.Contains("does not answer", result.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_verbs_help_ends_with_examples_of_that_verb()
    {
        foreach (var verb in HdCommandLine.Build().Subcommands)
        {
            Assert.Contains($"Examples:{Environment.NewLine}  hd {verb.Name}", verb.Description, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Demo_refuses_a_crop_count_it_cannot_split()
    {
        using var temp = new TempDirectory();

        var demo = await HdInProcess.RunAsync(["demo", "--workspace", temp.Path, "--crops", "1"]);

        Assert.Equal(ExitCodes.BadInput, demo.ExitCode);
        Assert.Contains("--crops 1", demo.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(temp.Path, "crops")));
    }

    private static int Champion(string modelDirectory)
    {
        using var aliases = JsonDocument.Parse(File.ReadAllText(Path.Combine(modelDirectory, "aliases.json")));
        return aliases.RootElement.GetProperty("champion").GetInt32();
    }

    private static string[] Versions(string modelDirectory) =>
        Directory.EnumerateDirectories(Path.Combine(modelDirectory, "versions"))
            .Select(d => Path.GetFileName(d)!)
            .Where(name => !name.StartsWith('.'))
            .ToArray();
}
