using HotDistance.Contracts;
using HotDistance.Core.Hashing;
using HotDistance.Core.IO;
using HotDistance.Learning.Checkpoints;
using HotDistance.Learning.Model;
using HotDistance.Learning.Runtime;
using HotDistance.Learning.Tasks;
using HotDistance.Learning.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HotDistance.Tests.Learning;

/// <summary>
/// A checkpoint never holds NaN or infinity: none is written with it, and one that holds it anyway (written
/// before the guard, or edited so that its hashes still verify) is discarded by a resume and trained afresh.
/// </summary>
public sealed class NonFiniteCheckpointTests
{
    private const string Weights = "weights";
    private const string OptimizerState = "optimiser state";

    [Theory]
    [InlineData(Weights, "the weights of")]
    [InlineData(OptimizerState, "the optimiser state is not finite (exp_avg of parameter 0")]
    public void A_model_or_optimiser_with_a_non_finite_number_is_not_written(string poisoned, string reason)
    {
        TorchRuntime.EnsureLoaded();
        using var temp = new TempDirectory();
        var task = SegmentationTasks.Create(Variants.HotDistance);
        using var model = new UNet(TinyTraining.Architecture, task.Heads(TinyTraining.Classes.Count), seed: 1);
        using var optimizer = optim.Adam(model.parameters());
        using (var scope = NewDisposeScope())
        {
            model.forward(rand([1, 1, 8, 8, 8])).sum().backward();
            optimizer.step();
        }

        Poison(model, optimizer, poisoned);
        var directory = temp.Combine("step-0000001");

        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Save(directory, model, optimizer, Metadata(task)));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(directory));
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [Theory]
    [InlineData(Weights)]
    [InlineData(OptimizerState)]
    public async Task A_verifying_step_checkpoint_with_a_non_finite_number_is_discarded_and_its_step_trained_afresh(string poisoned)
    {
        TorchRuntime.EnsureLoaded();
        using var temp = new TempDirectory();
        var settings = TinyTraining.Settings(steps: 12, checkpointEvery: 4);
        var job = TinyTraining.Job(temp.Path);
        var straight = await new VariantTrainer(settings).RunAsync(job, null, CancellationToken.None);
        Directory.Delete(Path.Combine(job.OutputDirectory, VariantTrainer.FinalDirectory), recursive: true);
        var newest = Path.Combine(job.OutputDirectory, VariantTrainer.StepsDirectory, "step-0000008");
        PoisonOnDisk(newest, poisoned);
        Assert.NotNull(Checkpoint.ReadVerified(newest));

        var resumed = await new VariantTrainer(settings).RunAsync(job, null, CancellationToken.None);

        Assert.Equal(4, resumed.StartStep);
        Assert.Equal(straight.Metadata.LossHistory, resumed.Metadata.LossHistory);
        var (model, _) = Checkpoint.Load(newest);
        using (model)
        using (var optimizer = optim.Adam(model.parameters()))
        {
            optimizer.load_state_dict(Path.Combine(newest, Checkpoint.OptimizerFile));
            Assert.Empty(FiniteCheck.NonFiniteWeights(model));
            Assert.Empty(FiniteCheck.NonFiniteOptimizerState(optimizer));
        }
    }

    /// <summary>Puts a NaN into the first parameter, or into Adam's first moment of the first parameter.</summary>
    private static void Poison(UNet model, Adam optimizer, string poisoned)
    {
        using var noGrad = no_grad();
        if (poisoned == Weights)
        {
            model.parameters().First().fill_(float.NaN);
        }
        else
        {
            ((Adam.State)optimizer.state_dict().State[0]).exp_avg.fill_(float.NaN);
        }
    }

    /// <summary>Poisons a checkpoint's files and rewrites its hashes to match, as an edited checkpoint would.</summary>
    private static void PoisonOnDisk(string directory, string poisoned)
    {
        var modelPath = Path.Combine(directory, Checkpoint.ModelFile);
        var optimizerPath = Path.Combine(directory, Checkpoint.OptimizerFile);
        var (model, metadata) = Checkpoint.Load(directory);
        using (model)
        using (var optimizer = optim.Adam(model.parameters()))
        {
            optimizer.load_state_dict(optimizerPath);
            Poison(model, optimizer, poisoned);
            model.save(modelPath);
            optimizer.save_state_dict(optimizerPath);
            Assert.NotEmpty(poisoned == Weights ? FiniteCheck.NonFiniteWeights(model) : FiniteCheck.NonFiniteOptimizerState(optimizer));
        }

        AtomicFile.WriteJson(
            Path.Combine(directory, Checkpoint.MetadataFile),
            metadata with { ModelSha256 = Sha256File.Compute(modelPath), OptimizerSha256 = Sha256File.Compute(optimizerPath) });
    }

    private static CheckpointMetadata Metadata(SegmentationTask task) =>
        new(task.Variant, TinyTraining.Classes, [8, 8, 8], 80, 1, TinyTraining.Architecture, 1, 1, "gen-test", null, [], [0.5], string.Empty, null, string.Empty, default);
}
