using HotDistance.Core.Synthetic;
using HotDistance.Learning.Checkpoints;
using HotDistance.Learning.Runtime;
using HotDistance.Learning.Training;

namespace HotDistance.Tests.Learning;

public class WarmStartTests
{
    [Fact]
    public async Task A_compatible_checkpoint_seeds_the_next_job_and_is_recorded()
    {
        TorchRuntime.EnsureLoaded();
        using var temp = new TempDirectory();
        var trainer = new VariantTrainer(TinyTraining.Settings(steps: 3));
        var first = await trainer.RunAsync(TinyTraining.Job(temp.Combine("gen-1")), null, CancellationToken.None);
        Assert.Null(first.Metadata.WarmStartedFrom);

        var second = await trainer.RunAsync(TinyTraining.Job(temp.Combine("gen-2"), warmStart: first.CheckpointDirectory), null, CancellationToken.None);

        Assert.Equal(first.CheckpointDirectory, second.Metadata.WarmStartedFrom);
        Assert.Equal(first.CheckpointDirectory, Checkpoint.ReadVerified(second.CheckpointDirectory)!.WarmStartedFrom);

        // Same seed, same crops: a cold start would retrace the first job's losses exactly; the loaded weights must not.
        Assert.NotEqual(first.Metadata.LossHistory[0], second.Metadata.LossHistory[0]);
    }

    [Fact]
    public async Task An_incompatible_or_missing_checkpoint_is_ignored_and_training_starts_cold()
    {
        TorchRuntime.EnsureLoaded();
        using var temp = new TempDirectory();
        var trainer = new VariantTrainer(TinyTraining.Settings(steps: 2));
        var twoClasses = await trainer.RunAsync(TinyTraining.Job(temp.Combine("two-classes")), null, CancellationToken.None);

        string[] mitoOnly = [SyntheticCropGenerator.Mito];
        var cold = await trainer.RunAsync(TinyTraining.Job(temp.Combine("cold"), classes: mitoOnly), null, CancellationToken.None);
        var incompatible = await trainer.RunAsync(
            TinyTraining.Job(temp.Combine("incompatible"), classes: mitoOnly, warmStart: twoClasses.CheckpointDirectory), null, CancellationToken.None);
        var missing = await trainer.RunAsync(
            TinyTraining.Job(temp.Combine("missing"), classes: mitoOnly, warmStart: temp.Combine("no-such-checkpoint")), null, CancellationToken.None);

        Assert.Null(incompatible.Metadata.WarmStartedFrom);
        Assert.Null(missing.Metadata.WarmStartedFrom);
        Assert.Equal(cold.Metadata.LossHistory, incompatible.Metadata.LossHistory);
        Assert.Equal(cold.Metadata.LossHistory, missing.Metadata.LossHistory);
    }
}
