using System.Text.Json;
using HotDistance.Contracts;
using HotDistance.Learning.Checkpoints;
using HotDistance.Learning.Runtime;
using HotDistance.Learning.Training;

namespace HotDistance.Tests.Learning;

/// <summary>
/// A step whose loss or gradient is not finite is skipped and counted; too many stop the job as diverged with a
/// message that says where and what to do; no checkpoint ever holds a non-finite number.
/// </summary>
public class DivergenceGuardTests
{
    [Fact]
    public async Task Steps_over_corrupt_raw_are_skipped_and_counted_and_the_model_stays_finite()
    {
        TorchRuntime.EnsureLoaded();
        using var temp = new TempDirectory();
        var clean = TinyTraining.Crop(7, size: 24);
        var corrupt = TinyTraining.Crop(8, size: 24);
        // A NaN slab in the first four slices: patches that start there see it, the others do not.
        Array.Fill(corrupt.Raw.Data, float.NaN, 0, 4 * 24 * 24);
        var job = new TrainingJob(
            Variants.HotDistance,
            TinyTraining.Classes,
            [TinyTraining.TrainingCrop(clean), TinyTraining.TrainingCrop(corrupt)],
            temp.Combine("job"),
            GenerationId: "gen-test");
        var settings = TinyTraining.Settings(steps: 30, checkpointEvery: 10) with { MaxNonFiniteSteps = 30 };
        var reports = new List<TrainingProgress>();

        var result = await new VariantTrainer(settings).RunAsync(job, new SynchronousProgress<TrainingProgress>(reports.Add), CancellationToken.None);

        var skipped = result.Metadata.SkippedSteps;
        Assert.NotEmpty(skipped);
        Assert.True(skipped.Count < settings.Steps / 2, $"{skipped.Count} of {settings.Steps} steps skipped: the slab should touch only some patches");
        Assert.Equal(settings.Steps, result.Metadata.LossHistory.Count + skipped.Count);
        Assert.All(result.Metadata.LossHistory, loss => Assert.True(double.IsFinite(loss)));
        Assert.All(reports, r => Assert.True(double.IsFinite(r.Loss)));
        Assert.Equal(skipped.Count, reports[^1].SkippedSteps);

        var (model, metadata) = Checkpoint.Load(result.CheckpointDirectory);
        using (model)
        {
            Assert.Empty(FiniteCheck.NonFiniteWeights(model));
        }

        Assert.Equal(skipped, metadata.SkippedSteps);
    }

    [Fact]
    public async Task A_job_that_keeps_diverging_stops_with_the_variant_step_rate_and_fix_and_keeps_its_last_good_checkpoint()
    {
        TorchRuntime.EnsureLoaded();
        using var temp = new TempDirectory();
        var job = TinyTraining.Job(temp.Combine("job"), Variants.Distance);
        // Adam moves each weight by about the learning rate whatever the gradient: 1e37 overflows float32 at once.
        var settings = TinyTraining.Settings(steps: 40, checkpointEvery: 2) with { LearningRate = 1e37, LearningRateDecayFraction = 0, MaxNonFiniteSteps = 3 };

        var diverged = await Assert.ThrowsAsync<TrainingDivergedException>(() => new VariantTrainer(settings).RunAsync(job, null, CancellationToken.None));

        Assert.Contains("distance of gen-test diverged at step", diverged.Message, StringComparison.Ordinal);
        Assert.Contains("learning rate 1E+37", diverged.Message, StringComparison.Ordinal);
        Assert.Contains("Fix: lower the learning rate", diverged.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(job.OutputDirectory, VariantTrainer.FinalDirectory)));

        // Every checkpoint that was kept is readable JSON with finite numbers and finite weights.
        var steps = Path.Combine(job.OutputDirectory, VariantTrainer.StepsDirectory);
        var kept = Directory.EnumerateDirectories(steps, "step-*").Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(kept);
        Assert.Contains($"The newest good checkpoint is {kept[^1]}.", diverged.Message, StringComparison.Ordinal);
        foreach (var directory in kept)
        {
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(directory, Checkpoint.MetadataFile)));
            var (model, metadata) = Checkpoint.Load(directory);
            using (model)
            {
                Assert.Empty(FiniteCheck.NonFiniteWeights(model));
            }

            Assert.All(metadata.LossHistory, loss => Assert.True(double.IsFinite(loss)));
            Assert.NotEmpty(json.RootElement.GetProperty("LossHistory").EnumerateArray());
        }
    }

    /// <summary>Reports on the training thread itself, so the test sees every report before the run returns.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
