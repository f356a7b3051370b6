using HotDistance.Cli;
using HotDistance.Cli.Commands;
using HotDistance.Cli.Train;
using HotDistance.Core.Synthetic;
using HotDistance.Core.Volumes;
using HotDistance.Core.Zarr;
using HotDistance.Learning.Checkpoints;
using HotDistance.Learning.Training;

namespace HotDistance.Tests.Cli;

[Collection(HdConsoleCollectionDefinition.Name)]
public class TrainVerbTests
{
    private static readonly string[] Small = ["--patch", "8", "--batch", "1", "--device", "cpu"];

    [Fact]
    public async Task Train_writes_the_final_checkpoint_and_loss_curve_and_a_rerun_of_the_same_command_trains_nothing()
    {
        using var temp = new TempDirectory();
        var first = WriteDataset(temp, "first", new Shape3(12, 24, 24), seed: 1);
        var second = WriteDataset(temp, "second", new Shape3(12, 24, 24), seed: 2);
        var output = temp.Combine("run");
        string[] command = ["train", first, second, "--variant", "hot-distance", "--steps", "4", "--out", output, .. Small];

        var (exitCode, printed) = await HdInProcess.RunAsync(command);

        Assert.True(exitCode == ExitCodes.Success, printed);
        var final = Path.Combine(output, VariantTrainer.FinalDirectory);
        var metadata = Checkpoint.ReadVerified(final);
        Assert.NotNull(metadata);
        Assert.Equal(4, metadata.Step);
        Assert.Equal(4, metadata.LossHistory.Count);
        Assert.Equal(["mito", "er"], metadata.Classes);
        Assert.Equal(["first/crop1", "second/crop1"], metadata.Lineage.Select(l => l.CropId));
        Assert.False(metadata.Architecture.Planar);
        Assert.Contains($"checkpoint: {final}", printed, StringComparison.Ordinal);
        Assert.Matches(@"final loss \d+\.\d{4}", printed);
        var chart = File.ReadAllBytes(Path.Combine(output, TrainCommand.LossChartFile));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], chart.Take(4));
        Assert.True(File.Exists(Path.Combine(output, TrainRunRecord.FileName)));

        var (again, printedAgain) = await HdInProcess.RunAsync(command);

        Assert.True(again == ExitCodes.Success, printedAgain);
        Assert.Contains("already trained", printedAgain, StringComparison.Ordinal);
        Assert.Equal(metadata.ModelSha256, Checkpoint.ReadVerified(final)!.ModelSha256);
    }

    [Fact]
    public async Task Train_stopped_by_cancellation_exits_130_and_the_same_command_resumes_from_the_last_checkpoint()
    {
        using var temp = new TempDirectory();
        var dataset = WriteDataset(temp, "cells", new Shape3(16, 32, 32), seed: 3);
        var output = temp.Combine("run");

        // Steps of 4 patches of 16^3, so the 35 after the first checkpoint outlast the poll. The poll has its own
        // thread: while libtorch trains on both cores of an idle machine, a Task.Delay poll was not resumed until
        // training had ended, saw the first checkpoint beside the final one, and cancelled a finished run.
        string[] command = ["train", dataset, "--variant", "one-hot", "--steps", "40", "--out", output, "--classes", "mito", "--checkpoint-every", "5", "--patch", "16", "--batch", "4", "--device", "cpu"];
        var firstCheckpoint = Path.Combine(output, VariantTrainer.StepsDirectory, "step-0000005");

        using var stop = new CancellationTokenSource();
        var run = HdInProcess.RunAsync(command, stop.Token);
        var poll = new Thread(() =>
        {
            while (!Directory.Exists(firstCheckpoint) && !run.IsCompleted)
            {
                Thread.Sleep(5);
            }

            stop.Cancel();
        })
        {
            IsBackground = true,
        };
        poll.Start();
        var (exitCode, printed) = await run;
        poll.Join();

        Assert.True(exitCode == ExitCodes.Interrupted, printed);
        Assert.Contains("rerun the same command to resume", printed, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(output, VariantTrainer.FinalDirectory)));
        var lastCheckpoint = Directory.GetDirectories(Path.Combine(output, VariantTrainer.StepsDirectory), "step-*").Max(StringComparer.Ordinal)!;
        var interrupted = Checkpoint.ReadVerified(lastCheckpoint)!;

        // Other settings make another run, which must not continue this one's checkpoints.
        var (refused, refusal) = await HdInProcess.RunAsync([.. command[..4], "--steps", "60", .. command[6..]]);
        Assert.True(refused == ExitCodes.BadInput, refusal);
        Assert.Contains("--steps (40, now 60)", refusal, StringComparison.Ordinal);

        var (resumed, resumedOutput) = await HdInProcess.RunAsync(command);

        Assert.True(resumed == ExitCodes.Success, resumedOutput);
        Assert.Contains($"resumed at step {interrupted.Step}", resumedOutput, StringComparison.Ordinal);
        var metadata = Checkpoint.ReadVerified(Path.Combine(output, VariantTrainer.FinalDirectory))!;
        Assert.Equal(40, metadata.Step);
        Assert.Equal(40, metadata.LossHistory.Count);
        Assert.Equal(interrupted.LossHistory, metadata.LossHistory.Take(interrupted.Step));
    }

    [Fact]
    public async Task Train_on_a_thin_stack_picks_the_2d_network_and_refuses_the_3d_one()
    {
        using var temp = new TempDirectory();
        var dataset = WriteDataset(temp, "thin", new Shape3(3, 24, 24), seed: 4);
        var output = temp.Combine("run");

        var (refused, refusal) = await HdInProcess.RunAsync(["train", dataset, "--variant", "distance", "--steps", "2", "--arch", "3d", "--out", output, .. Small]);

        Assert.True(refused == ExitCodes.BadInput, refusal);
        Assert.Contains("--arch 2d", refusal, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));

        var (exitCode, printed) = await HdInProcess.RunAsync(["train", dataset, "--variant", "distance", "--steps", "2", "--out", output, .. Small]);

        Assert.True(exitCode == ExitCodes.Success, printed);
        var metadata = Checkpoint.ReadVerified(Path.Combine(output, VariantTrainer.FinalDirectory))!;
        Assert.True(metadata.Architecture.Planar);
        Assert.All(metadata.Architecture.DownsampleFactors, f => Assert.Equal(1, f[0]));
    }

    [Theory]
    [InlineData("--classes", "nuc", "no crop annotates class 'nuc'")]
    [InlineData("--crop", "crop9", "none of these crops")]
    [InlineData("--variant", "two-hot", "use one of one-hot, distance, hot-distance")]
    [InlineData("--lr", "-1", "positive learning rate")]
    [InlineData("--intensity", "minmax:3900,100", "a min-max window needs 0 <= MIN < MAX")]
    [InlineData("--warm-start", "/nonexistent/checkpoint", "does not exist")]
    public async Task Train_rejects_bad_options_with_exit_code_2_and_says_what_to_do(string option, string value, string message)
    {
        using var temp = new TempDirectory();
        var dataset = WriteDataset(temp, "cells", new Shape3(8, 16, 16), seed: 5);
        List<string> args = ["train", dataset, "--steps", "2", "--out", temp.Combine("run"), .. Small];
        if (option != "--variant")
        {
            args.AddRange(["--variant", "one-hot"]);
        }

        args.AddRange([option, value]);

        var (exitCode, printed) = await HdInProcess.RunAsync([.. args]);

        Assert.True(exitCode == ExitCodes.BadInput, printed);
        Assert.Contains(message, printed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_refuses_a_warm_start_from_another_variant()
    {
        using var temp = new TempDirectory();
        var dataset = WriteDataset(temp, "cells", new Shape3(8, 16, 16), seed: 6);
        var oneHot = temp.Combine("one-hot");
        var (trained, printed) = await HdInProcess.RunAsync(["train", dataset, "--variant", "one-hot", "--steps", "2", "--out", oneHot, .. Small]);
        Assert.True(trained == ExitCodes.Success, printed);

        var (exitCode, refusal) = await HdInProcess.RunAsync(["train", dataset, "--variant", "distance", "--steps", "2", "--warm-start", oneHot, "--out", temp.Combine("distance"), .. Small]);

        Assert.True(exitCode == ExitCodes.BadInput, refusal);
        Assert.Contains("is a one-hot model, not distance", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_records_the_intensity_normalisation_and_refuses_a_warm_start_trained_on_another()
    {
        using var temp = new TempDirectory();
        var dataset = WriteDataset(temp, "cells", new Shape3(8, 16, 16), seed: 7);
        var percentiles = temp.Combine("percentiles");
        var (trained, printed) = await HdInProcess.RunAsync(["train", dataset, "--variant", "one-hot", "--steps", "2", "--intensity", "percentiles:1,99", "--out", percentiles, .. Small]);

        Assert.True(trained == ExitCodes.Success, printed);
        Assert.Contains("intensity percentiles:1,99", printed, StringComparison.Ordinal);
        Assert.Equal(IntensityNormalization.Percentiles(1, 99), Checkpoint.ReadVerified(Path.Combine(percentiles, VariantTrainer.FinalDirectory))!.Intensity);

        var (exitCode, refusal) = await HdInProcess.RunAsync(["train", dataset, "--variant", "one-hot", "--steps", "2", "--warm-start", percentiles, "--out", temp.Combine("dtype"), .. Small]);

        Assert.True(exitCode == ExitCodes.BadInput, refusal);
        Assert.Contains("normalised by percentiles:1,99, not dtype", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_output_folder_is_the_newest_run_of_the_same_command_else_a_new_timestamped_one()
    {
        using var temp = new TempDirectory();
        var record = Record(steps: 100);
        var now = new DateTime(2026, 3, 1, 12, 30, 5, DateTimeKind.Local);

        var (fresh, existing) = TrainOutputFolder.Choose(null, record, temp.Path, now);
        Assert.Equal(temp.Combine("one-hot-20260301-123005"), fresh);
        Assert.False(existing);
        Directory.CreateDirectory(fresh);
        record.Write(fresh);

        Assert.Equal((fresh, true), TrainOutputFolder.Choose(null, record, temp.Path, now.AddMinutes(5)));

        var (other, otherExisting) = TrainOutputFolder.Choose(null, Record(steps: 200), temp.Path, now);
        Assert.Equal(temp.Combine("one-hot-20260301-123005-2"), other);
        Assert.False(otherExisting);

        var error = Assert.Throws<ArgumentException>(() => TrainOutputFolder.Choose(fresh, Record(steps: 200), temp.Path, now));
        Assert.Contains("--steps (100, now 200)", error.Message, StringComparison.Ordinal);
    }

    private static TrainRunRecord Record(int steps) =>
        new("one-hot", [new TrainRunCrop("cells/crop1", "abc")], ["mito"], steps, 32, 2, 3e-3, 42, TrainCommand.Arch3D, null, 80, ["mito:er"]);

    private static string WriteDataset(TempDirectory temp, string name, Shape3 shape, int seed)
    {
        var path = temp.Combine($"{name}.zarr");
        var spec = new SyntheticCropSpec(name, seed, shape, VoxelSize.Isotropic(8), SyntheticCropGenerator.Classes);
        CellMapCropWriter.Write(SyntheticCropGenerator.Generate(spec), path, "crop1");
        return path;
    }
}
