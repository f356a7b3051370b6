using HotDistance.Contracts;
using HotDistance.Core.Synthetic;
using HotDistance.Learning.Checkpoints;
using HotDistance.Learning.Model;
using HotDistance.Learning.Runtime;
using HotDistance.Learning.Tasks;
using HotDistance.Learning.Training;
using static TorchSharp.torch;

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
        var oneHot = await trainer.RunAsync(TinyTraining.Job(temp.Combine("one-hot"), variant: Variants.OneHot), null, CancellationToken.None);

        var cold = await trainer.RunAsync(TinyTraining.Job(temp.Combine("cold")), null, CancellationToken.None);
        var incompatible = await trainer.RunAsync(
            TinyTraining.Job(temp.Combine("incompatible"), warmStart: oneHot.CheckpointDirectory), null, CancellationToken.None);
        var missing = await trainer.RunAsync(
            TinyTraining.Job(temp.Combine("missing"), warmStart: temp.Combine("no-such-checkpoint")), null, CancellationToken.None);

        Assert.Null(incompatible.Metadata.WarmStartedFrom);
        Assert.Null(missing.Metadata.WarmStartedFrom);
        Assert.Equal(cold.Metadata.LossHistory, incompatible.Metadata.LossHistory);
        Assert.Equal(cold.Metadata.LossHistory, missing.Metadata.LossHistory);
    }

    [Fact]
    public async Task Growing_the_heads_carries_each_kept_class_over_exactly_and_starts_a_new_class_fresh()
    {
        TorchRuntime.EnsureLoaded();
        using var temp = new TempDirectory();
        string[] mitoOnly = [SyntheticCropGenerator.Mito];
        var trained = await new VariantTrainer(TinyTraining.Settings(steps: 3)).RunAsync(
            TinyTraining.Job(temp.Combine("mito"), classes: mitoOnly), null, CancellationToken.None);
        var (donor, metadata) = Checkpoint.Load(trained.CheckpointDirectory);
        using var donorModel = donor;

        // er comes first now: mito's channels must follow the name, not the position.
        string[] grown = [SyntheticCropGenerator.Er, SyntheticCropGenerator.Mito];
        using var fresh = new UNet(TinyTraining.Architecture, SegmentationTasks.Create(Variants.HotDistance).Heads(grown.Length), seed: 99);
        using var model = new UNet(TinyTraining.Architecture, SegmentationTasks.Create(Variants.HotDistance).Heads(grown.Length), seed: 99);
        var startsFresh = WarmStart.Load(model, grown, trained.CheckpointDirectory, metadata);

        Assert.Equal([SyntheticCropGenerator.Er], startsFresh);
        using var generator = new Generator(5);
        using var input = rand([1, 1, 16, 16, 16], generator: generator);
        using var before = donorModel.forward(input);
        using var after = model.forward(input);
        using var untouched = fresh.forward(input);

        // Hot-distance output: one-hot logits per class, then distances per class.
        Assert.True(after.narrow(1, 1, 1).eq(before.narrow(1, 0, 1)).all().item<bool>(), "mito's one-hot channel changed");
        Assert.True(after.narrow(1, 3, 1).eq(before.narrow(1, 1, 1)).all().item<bool>(), "mito's distance channel changed");

        // er's head is the fresh initialisation; its output differs from it only through the carried-over backbone.
        using var freshHead = fresh.named_parameters().Single(p => p.name == UNet.OneHotHeadName + ".weight").parameter.narrow(0, 0, 1);
        using var grownHead = model.named_parameters().Single(p => p.name == UNet.OneHotHeadName + ".weight").parameter.narrow(0, 0, 1);
        Assert.True(grownHead.eq(freshHead).all().item<bool>(), "er's head channel is not the fresh initialisation");
        Assert.False(after.narrow(1, 0, 1).eq(untouched.narrow(1, 0, 1)).all().item<bool>(), "the backbone was not carried over");
    }
}
