using System.Text.Json;
using HotDistance.Cli;
using HotDistance.Core.Workspace;
using HotDistance.Ingest;
using HotDistance.Tests.Infrastructure;
using Xunit.Abstractions;

namespace HotDistance.Tests.Ingest;

/// <summary>
/// Issue 15's acceptance: a folder of hostile inputs (<see cref="HostileInputs"/>: links to /etc and to a secret,
/// a link loop, a FIFO, a dataset path that climbs out, a gzip bomb, shapes past the voxel cap and past int, a class
/// name near the file-name limit) is ingested one by one with <c>hd ingest</c> and through a running pipeline's drop
/// folder, each as its own process. Every input gets its one reason; nothing outside the inputs reaches the
/// workspace; neither process's peak memory passes <see cref="MemoryCapBytes"/>; and the drop folder still takes a
/// good crop afterwards.
/// </summary>
public sealed class HostileInputAcceptanceTests(ITestOutputHelper output)
{
    /// <summary>
    /// What an ingest process may reach on these inputs: the runtime and one small crop. Reading the bomb's chunk or
    /// allocating a refused shape would take gigabytes (2-3 GB before the limits), so the cap tells them apart.
    /// </summary>
    private const long MemoryCapBytes = 512L << 20;

    [Fact]
    public async Task Each_hostile_input_is_refused_with_its_reason_one_by_one_within_the_memory_cap_and_nothing_outside_is_copied()
    {
        using var temp = new TempDirectory();
        var inputs = HostileInputs.Write(temp.Combine("hostile"), temp.Combine("secrets"));
        var environment = new Dictionary<string, string> { ["HD_WORKSPACE"] = temp.Combine("workspace") };

        foreach (var (name, expected) in inputs)
        {
            var result = await HdProcess.RunMeasuredAsync(["ingest", temp.Combine("hostile", name)], environment, TimeSpan.FromMinutes(1));
            output.WriteLine($"hd ingest {name}: exit {result.ExitCode}, peak {result.PeakWorkingSetBytes >> 20} MiB{Environment.NewLine}{result.Output}");
            Assert.True(result.ExitCode == ExitCodes.BadInput, $"{name}: exit {result.ExitCode}{Environment.NewLine}{result.Output}");
            Assert.Matches(@"│\s+rejected\s+│", result.Output);
            Assert.DoesNotContain("Unhandled", result.Output, StringComparison.Ordinal);
            Assert.InRange(result.PeakWorkingSetBytes, 1, MemoryCapBytes);
        }

        AssertEachRefusedOnceAndNothingLeaked(new WorkspaceLayout(temp.Combine("workspace")), temp.Combine("hostile"), inputs);
    }

    [Fact]
    public async Task The_drop_folder_refuses_each_hostile_input_once_stays_within_the_memory_cap_and_then_takes_a_good_crop()
    {
        using var temp = new TempDirectory();
        var drop = temp.Combine("drop");
        var inputs = HostileInputs.Write(drop, temp.Combine("secrets"));
        var workspace = new WorkspaceLayout(temp.Combine("workspace"));
        using var pipeline = RoleProcess.Start("ingest", new Dictionary<string, string> { ["HD_WORKSPACE"] = workspace.Root }, "--watch", drop);
        try
        {
            foreach (var (name, _) in inputs)
            {
                await File.WriteAllTextAsync(Path.Combine(drop, name + DropFolderWatcher.ReadyMarkerSuffix), string.Empty);
            }

            await WaitAsync(() => Reasons(workspace).Count >= inputs.Count, pipeline, "every hostile input to be refused");
            HostileInputs.Crop(drop, "good.zarr", seed: 9);
            await File.WriteAllTextAsync(Path.Combine(drop, "good.zarr" + DropFolderWatcher.ReadyMarkerSuffix), string.Empty);
            await WaitAsync(() => Directory.Exists(workspace.Crops) && Directory.EnumerateDirectories(workspace.Crops).Any(), pipeline, "the good crop to be stored");

            var peak = pipeline.PeakWorkingSetBytes;
            output.WriteLine($"hd run --roles ingest --watch: peak {peak >> 20} MiB{Environment.NewLine}{pipeline.Output}");
            Assert.False(pipeline.HasExited, pipeline.Output);
            Assert.InRange(peak, 1, MemoryCapBytes);
        }
        finally
        {
            pipeline.Kill();
        }

        AssertEachRefusedOnceAndNothingLeaked(workspace, drop, inputs);
        Assert.DoesNotContain("Unhandled", pipeline.Output, StringComparison.Ordinal);
    }

    private static void AssertEachRefusedOnceAndNothingLeaked(WorkspaceLayout workspace, string folder, IReadOnlyList<(string Name, string Expected)> inputs)
    {
        var reasons = Reasons(workspace);
        foreach (var (name, expected) in inputs)
        {
            // A CellMap crop's source is <dataset>#<crop>.
            var input = Path.Combine(folder, name);
            var reason = Assert.Single(reasons, r => r.Source == input || r.Source.StartsWith(input + "#", StringComparison.Ordinal)).Reason;
            Assert.Contains(expected, reason, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', reason);
        }

        Assert.Equal(inputs.Count, reasons.Count);

        // Copies in quarantine are at most the inputs' own files (the bomb's chunk stays compressed), never more.
        var ownFiles = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint };
        var largestInput = Directory.EnumerateFiles(folder, "*", ownFiles).Max(f => new FileInfo(f).Length);
        foreach (var file in Directory.EnumerateFiles(workspace.Root, "*", SearchOption.AllDirectories))
        {
            var info = new FileInfo(file);
            Assert.True(info.LinkTarget is null, $"{file} is a link");
            Assert.True(info.Length <= largestInput, $"{file} holds {info.Length} bytes, more than any input file ({largestInput})");
            var text = File.ReadAllText(file);
            Assert.DoesNotContain(HostileInputs.Secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain("root:x:0:0:", text, StringComparison.Ordinal);
        }
    }

    /// <summary>The quarantine's record of each refused input: where it came from and why.</summary>
    private static List<(string Source, string Reason)> Reasons(WorkspaceLayout workspace) =>
        !Directory.Exists(workspace.Quarantine)
            ? []
            : Directory.EnumerateFiles(workspace.Quarantine, Quarantine.ReasonJson, SearchOption.AllDirectories)
                .Select(file =>
                {
                    using var record = JsonDocument.Parse(File.ReadAllText(file));
                    return (record.RootElement.GetProperty("source").GetString()!, record.RootElement.GetProperty("reason").GetString()!);
                })
                .ToList();

    private static Task WaitAsync(Func<bool> condition, RoleProcess pipeline, string what) =>
        Eventually.Until(
            () =>
            {
                Assert.False(pipeline.HasExited, $"the pipeline exited while waiting for {what}:{Environment.NewLine}{pipeline.Output}");
                return condition();
            },
            TimeSpan.FromMinutes(2),
            what,
            () => Environment.NewLine + pipeline.Output);
}
