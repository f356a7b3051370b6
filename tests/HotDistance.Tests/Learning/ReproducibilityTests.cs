using HotDistance.Learning.Model;
using HotDistance.Learning.Runtime;
using HotDistance.Learning.Training;

namespace HotDistance.Tests.Learning;

public class ReproducibilityTests
{
    [Fact]
    public async Task A_seeded_run_makes_the_same_model_and_losses_while_others_train_and_networks_are_being_built()
    {
        TorchRuntime.EnsureLoaded();
        using var temp = new TempDirectory();
        var trainer = new VariantTrainer(TinyTraining.Settings(steps: 6));
        var alone = await trainer.RunAsync(TinyTraining.Job(temp.Combine("alone")), null, CancellationToken.None);

        // The trainer role trains every variant of a generation at once and the evaluator loads checkpoints in the
        // same process, while libtorch draws initial weights from one process-wide generator: another network
        // being built must not slip in between a trainer's seeding and its own initialisation.
        using var done = new CancellationTokenSource();
        var builder = Task.Run(() =>
        {
            var built = 0;
            while (!done.IsCancellationRequested)
            {
                using var other = new UNet(TinyTraining.Architecture, new HeadLayout(2, OneHot: true, Distance: true));
                built++;
            }

            return built;
        });
        var together = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            trainer.RunAsync(TinyTraining.Job(temp.Combine($"together-{i}")), null, CancellationToken.None)));
        await done.CancelAsync();

        Assert.True(await builder > 0);
        Assert.All(together, r => Assert.Equal(alone.Metadata.ModelSha256, r.Metadata.ModelSha256));
        Assert.All(together, r => Assert.Equal(alone.Metadata.LossHistory, r.Metadata.LossHistory));
        Assert.All(alone.Metadata.LossHistory, loss => Assert.True(double.IsFinite(loss)));
    }
}
