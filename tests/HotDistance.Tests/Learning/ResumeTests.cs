using HotDistance.Learning.Checkpoints;
using HotDistance.Learning.Runtime;
using HotDistance.Learning.Training;

namespace HotDistance.Tests.Learning;

public class ResumeTests
{
    private const int Steps = 12;
    private const int CheckpointEvery = 4;

    [Fact]
    public async Task An_interrupted_run_resumes_from_its_last_checkpoint_and_ends_where_an_uninterrupted_run_ends()
    {
        TorchRuntime.EnsureLoaded();
        using var temp = new TempDirectory();
        var settings = TinyTraining.Settings(Steps, CheckpointEvery);
        var job = TinyTraining.Job(temp.Combine("interrupted"));

        var interrupted = await InterruptAfterAsync(settings, job, stopAfterStep: 6);

        var steps = Path.Combine(job.OutputDirectory, VariantTrainer.StepsDirectory);
        Assert.Equal(["step-0000004"], Directory.EnumerateDirectories(steps).Select(d => Path.GetFileName(d)!).ToArray());
        Assert.False(Directory.Exists(Path.Combine(job.OutputDirectory, VariantTrainer.FinalDirectory)));
        Assert.Equal(6, interrupted.Count);

        var resumed = await new VariantTrainer(settings).RunAsync(job, null, CancellationToken.None);
        Assert.Equal(CheckpointEvery, resumed.StartStep);
        Assert.Equal(Steps, resumed.Metadata.Step);
        Assert.Equal(Steps, resumed.Metadata.LossHistory.Count);
        Assert.Equal(interrupted.Take(CheckpointEvery), resumed.Metadata.LossHistory.Take(CheckpointEvery));

        // TorchSharp on CPU is deterministic for this model (no dropout, no atomics), and the sampler draws each
        // step's batch from (seed, step) alone, so the resumed run must retrace the uninterrupted one exactly.
        var uninterrupted = await new VariantTrainer(settings).RunAsync(TinyTraining.Job(temp.Combine("straight")), null, CancellationToken.None);
        Assert.Equal(0, uninterrupted.StartStep);
        Assert.Equal(uninterrupted.Metadata.LossHistory, resumed.Metadata.LossHistory);
        Assert.Equal(interrupted, uninterrupted.Metadata.LossHistory.Take(interrupted.Count));

        // A finished job run again returns its final checkpoint without training.
        var again = await new VariantTrainer(settings).RunAsync(job, null, CancellationToken.None);
        Assert.Equal(Steps, again.StartStep);
        Assert.Equal(resumed.Metadata.ModelSha256, again.Metadata.ModelSha256);
        Assert.Equal(resumed.Metadata.SavedAt, again.Metadata.SavedAt);
    }

    [Fact]
    public async Task A_damaged_newest_step_checkpoint_is_skipped_for_the_one_before_it()
    {
        TorchRuntime.EnsureLoaded();
        using var temp = new TempDirectory();
        var settings = TinyTraining.Settings(Steps, CheckpointEvery);
        var job = TinyTraining.Job(temp.Path);
        await InterruptAfterAsync(settings, job, stopAfterStep: 9);

        var steps = Path.Combine(job.OutputDirectory, VariantTrainer.StepsDirectory);
        Assert.Equal(["step-0000004", "step-0000008"], Directory.EnumerateDirectories(steps).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal).ToArray());
        var model = Path.Combine(steps, "step-0000008", Checkpoint.ModelFile);
        var bytes = await File.ReadAllBytesAsync(model);
        await File.WriteAllBytesAsync(model, bytes[..(bytes.Length / 2)]);

        var resumed = await new VariantTrainer(settings).RunAsync(job, null, CancellationToken.None);
        Assert.Equal(4, resumed.StartStep);
        Assert.Equal(Steps, resumed.Metadata.LossHistory.Count);

        // The damaged checkpoint was replaced on the way, so it cannot trip a later resume either.
        Assert.Equal(8, Checkpoint.ReadVerified(Path.Combine(steps, "step-0000008"))?.Step);
        Assert.Empty(Directory.EnumerateFileSystemEntries(steps, ".*"));
    }

    /// <summary>Trains until <paramref name="stopAfterStep"/> has been reported, cancels, and returns the losses seen.</summary>
    private static async Task<List<double>> InterruptAfterAsync(TrainingSettings settings, TrainingJob job, int stopAfterStep)
    {
        using var cancellation = new CancellationTokenSource();
        var losses = new List<double>();
        var progress = new SynchronousProgress(p =>
        {
            losses.Add(p.Loss);
            if (p.Step == stopAfterStep)
            {
                cancellation.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new VariantTrainer(settings).RunAsync(job, progress, cancellation.Token));
        return losses;
    }

    /// <summary>Runs the handler on the training thread, so cancellation lands before the next step starts.</summary>
    private sealed class SynchronousProgress(Action<TrainingProgress> handler) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => handler(value);
    }
}
