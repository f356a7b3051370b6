using HotDistance.Ablation;
using HotDistance.Contracts;
using HotDistance.Core.Crops.Thinning;
using HotDistance.Core.Metrics;
using HotDistance.Core.Volumes;
using HotDistance.Learning.Training;
using HotDistance.Tests.Learning;

namespace HotDistance.Tests.Ablation;

/// <summary>A real tiny ablation, interrupted between cells and inside one, then run again.</summary>
[Collection(LearningRunsDefinition.Name)]
public class AblationResumeTests
{
    private static readonly AblationSettings Settings = new()
    {
        Variants = [Variants.OneHot, Variants.HotDistance],
        Lambdas = [1],
        Densities = [new AnnotationDensity { VoxelFraction = 0.5, Pattern = UnknownPattern.Blocks, BlockSize = 4 }],
        Seeds = [1, 2, 3],
        Training = new TrainingSettings { Steps = 4, CheckpointEvery = 2, PatchSize = 8, BatchSize = 1 },
        TuneThresholds = false,
        BootstrapResamples = 100,
    };

    [Fact]
    public async Task An_interrupted_grid_resumes_without_repeating_a_finished_cell_and_a_cut_cell_resumes_from_its_checkpoint()
    {
        using var temp = new TempDirectory();
        var inputs = Inputs();
        var cells = AblationGrid.Compose(Settings);
        Assert.Equal(6, cells.Count);

        // Run 1 stops once two cells have finished.
        using var first = new CancellationTokenSource();
        var progress = new Recorder(p =>
        {
            if (p.Finished is not null && p.CellsDone == 2)
            {
                first.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new AblationRunner(Settings, inputs, temp.Path).RunAsync(progress, first.Token));
        var finishedFirst = cells.Take(2).Select(c => File.ReadAllBytes(CellResultFile.PathOf(AblationRunner.CellDirectory(temp.Path, c)))).ToList();
        Assert.All(cells.Skip(2), c => Assert.Null(CellResultFile.Read(AblationRunner.CellDirectory(temp.Path, c))));

        // Run 2 reuses those two and stops inside the third cell, after its step-2 checkpoint.
        using var second = new CancellationTokenSource();
        var secondProgress = new Recorder(p =>
        {
            if (p.Current?.Key == cells[2].Key && p.Phase == "training" && p.Step == 3)
            {
                second.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new AblationRunner(Settings, inputs, temp.Path).RunAsync(secondProgress, second.Token));
        Assert.Equal((6, 2, 2), (secondProgress.Seen[0].CellsTotal, secondProgress.Seen[0].CellsDone, secondProgress.Seen[0].CellsReused));
        Assert.DoesNotContain(secondProgress.Seen, p => p.Current is { } c && (c.Key == cells[0].Key || c.Key == cells[1].Key));

        // Run 3 trains exactly the four cells that had not finished; the third picks up at step 2.
        var third = new Recorder(_ => { });
        var outcome = await new AblationRunner(Settings, inputs, temp.Path).RunAsync(third, CancellationToken.None);

        Assert.Equal(cells.Skip(2).Select(c => c.Key), outcome.Trained);
        Assert.Equal(cells.Select(c => c.Key), outcome.Results.Select(r => r.Key));
        Assert.Equal(2, outcome.Results[2].Timings.StartStep);
        Assert.Equal(4, outcome.Results[2].LossHistory.Count);
        Assert.All(outcome.Results.Skip(3), r => Assert.Equal(0, r.Timings.StartStep));
        Assert.Equal(finishedFirst, cells.Take(2).Select(c => File.ReadAllBytes(CellResultFile.PathOf(AblationRunner.CellDirectory(temp.Path, c)))));
        Assert.DoesNotContain(third.Seen, p => p.Current is { } c && cells.Take(2).Any(done => done.Key == c.Key));
        var last = third.Seen[^1];
        Assert.Equal((6, 6, TimeSpan.Zero), (last.CellsDone, last.CellsTotal, last.Eta));
        Assert.Contains(third.Seen, p => p.Phase == "training" && p.Eta is { } eta && eta > TimeSpan.Zero);

        // A fourth run trains nothing; the scores are each cell's held-out scores, finite and per class.
        var again = await new AblationRunner(Settings, inputs, temp.Path).RunAsync(null, CancellationToken.None);
        Assert.Empty(again.Trained);
        Assert.All(again.Results, r =>
        {
            Assert.InRange(r.Overall, 0, 1);
            Assert.Equal(["er", "mito"], r.PerClass.Keys.Order());
            Assert.Equal(r.Overall, r.ToReport(inputs.InstanceClasses).Overall, 12);
        });
    }

    [Fact]
    public async Task A_folder_made_with_other_settings_is_refused_before_anything_trains()
    {
        using var temp = new TempDirectory();
        var inputs = Inputs();
        var one = Settings with { Variants = [Variants.OneHot], Training = Settings.Training with { Steps = 2 } };
        await new AblationRunner(one, inputs, temp.Path).RunAsync(null, CancellationToken.None);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => new AblationRunner(one with { Training = one.Training with { Steps = 3 } }, inputs, temp.Path).RunAsync(null, CancellationToken.None));

        Assert.Contains("made with other settings", error.Message, StringComparison.Ordinal);
        Assert.Contains("--out", error.Message, StringComparison.Ordinal);
    }

    internal static AblationInputs Inputs() =>
        new(
            [TinyTraining.TrainingCrop(TinyTraining.Crop(31)), TinyTraining.TrainingCrop(TinyTraining.Crop(32))],
            [TinyTraining.Crop(41), TinyTraining.Crop(42)],
            TinyTraining.Classes,
            ScoringOptions.DefaultInstanceClasses,
            [],
            TinyTraining.Architecture,
            IntensityNormalization.DtypeRange,
            "cpu");

    private sealed class Recorder(Action<AblationProgress> onReport) : IProgress<AblationProgress>
    {
        public List<AblationProgress> Seen { get; } = [];

        public void Report(AblationProgress value)
        {
            lock (Seen)
            {
                Seen.Add(value);
            }

            onReport(value);
        }
    }
}
