using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HotDistance.Ablation;
using HotDistance.Bench.Harness;
using HotDistance.Contracts;
using HotDistance.Core.Crops;
using HotDistance.Core.Crops.Thinning;
using HotDistance.Core.Metrics;
using HotDistance.Learning.Runtime;
using HotDistance.Learning.Training;

namespace HotDistance.Bench.Ablation;

/// <summary>
/// What an <c>hd ablate</c> cell spends outside its training steps: thinning the crops, building the targets,
/// scoring (threshold tuning on the training crops, inference on the held-out crops, the metrics) and its share of
/// the bootstrap, against the cell's wall time. The cell is one of the README preset's (the same crops, network, patch,
/// batch and steps; hot-distance at the thinnest density, which thins the most), run from scratch in a fresh folder,
/// once per seed. The bootstrap's share is the time <see cref="AblationFigures.Compute"/> takes over a grid the size of
/// the preset's, made of copies of the measured cells, divided by its number of cells. Goal: under 5%.
/// </summary>
internal static class AblateCellBench
{
    public const string Part = "ablate";

    public static int Run(Arguments args)
    {
        var quick = args.Flag("quick");
        var (preset, data) = AblationPresets.Get(AblationPresets.Readme);
        var settings = preset with
        {
            Training = preset.Training with { Steps = args.Int("steps", quick ? 20 : preset.Training.Steps) },
            TuneThresholds = args.Text("tune", "true") != "false",
        };
        var rounds = args.Int("rounds", quick ? 1 : 3);
        TorchRuntime.EnsureLoaded();
        var training = data.Training().Select(c => new TrainingCrop(c.Name, CropContentHash.Compute(c), c)).ToList();
        var inputs = new AblationInputs(
            training,
            data.HeldOut(),
            HotDistance.Core.Synthetic.SyntheticCropGenerator.Classes,
            ScoringOptions.DefaultInstanceClasses,
            [["mito", "er"]],
            ArchitectureChoice.For(training, settings.Training.Architecture).Architecture,
            settings.Training.Intensity,
            "cpu");
        var density = settings.Densities.OrderBy(d => d.VoxelFraction).ThenByDescending(d => d.ClassesPerCrop).First();
        var work = Directory.CreateTempSubdirectory("hd-bench-ablate-");
        var cells = new List<CellResult>();
        try
        {
            for (var round = 0; round < rounds; round++)
            {
                // A fresh runner each time, so every cell pays its own thinning as the first cell of a density does.
                var cell = new AblationCell(new AblationArm(Variants.HotDistance, 1), density, Seed: round + 1);
                Console.Error.WriteLine($"cell {round + 1} of {rounds}: {cell.Label}, {settings.Training.Steps} steps ...");
                var folder = Path.Combine(work.FullName, cell.Key);
                cells.Add(new LocalCellRunner(settings, inputs).RunAsync(cell, folder, null, CancellationToken.None).GetAwaiter().GetResult());
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }

        var grid = AblationGrid.Compose(AblationPresets.Get(AblationPresets.Readme).Settings);
        var copies = grid.Select((c, i) => cells[i % cells.Count] with { Key = c.Key, Variant = c.Arm.Variant, Lambda = c.Arm.Lambda, Density = c.Density.Name, Seed = c.Seed }).ToList();
        var clock = Stopwatch.StartNew();
        _ = AblationFigures.Compute(AblationPresets.Get(AblationPresets.Readme).Settings, copies, ScoringOptions.DefaultInstanceClasses);
        var bootstrapPerCell = clock.Elapsed.TotalSeconds / grid.Count;

        var machine = MachineInfo.Capture();
        Console.WriteLine($"One hd ablate cell of the readme preset ({cells[0].Density}, hot-distance λ=1, {settings.Training.Steps} steps of batch {settings.Training.BatchSize} x {settings.Training.PatchSize}^3, {settings.TorchThreads} libtorch thread(s), thresholds {(settings.TuneThresholds ? "tuned" : "not tuned")}, {inputs.Training.Count} training and {inputs.HeldOut.Count} held-out {data.Size}^3 crops), {rounds} cell(s); load average {MachineInfo.LoadAverage()}");
        Console.WriteLine("| cell | wall s | training steps s | thinning s | targets s | scoring s | bootstrap share s | overhead |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        var rows = new JsonArray();
        var fractions = new List<double>();
        foreach (var result in cells)
        {
            var t = result.Timings;
            var overhead = t.ThinningSeconds + t.TargetsSeconds + t.ScoringSeconds + bootstrapPerCell;
            var fraction = overhead / (t.WallSeconds + bootstrapPerCell);
            fractions.Add(fraction);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| seed {result.Seed} | {t.WallSeconds + bootstrapPerCell:F2} | {t.TrainingSeconds:F2} | {t.ThinningSeconds:F3} | {t.TargetsSeconds:F3} | {t.ScoringSeconds:F2} | {bootstrapPerCell:F3} | **{100 * fraction:F2}%** |"));
            rows.Add(new JsonObject
            {
                ["seed"] = result.Seed,
                ["timings"] = JsonSerializer.SerializeToNode(t),
                ["bootstrapShareSeconds"] = bootstrapPerCell,
                ["overheadFraction"] = fraction,
            });
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median overhead {100 * Statistics.Median(fractions):F2}% of a cell's wall time (goal: under 5%); bootstrap over the {grid.Count}-cell grid {bootstrapPerCell * grid.Count:F2} s; {machine.Cores} cores, {machine.CpuModel}, {machine.DotNet}"));
        var results = args.Text("results", Path.Combine("bench", "results", "ablate-latest.json"));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(results))!);
        File.WriteAllText(results, new JsonObject { ["machine"] = JsonSerializer.SerializeToNode(machine), ["steps"] = settings.Training.Steps, ["tuneThresholds"] = settings.TuneThresholds, ["rows"] = rows, ["medianOverheadFraction"] = Statistics.Median(fractions) }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }
}
