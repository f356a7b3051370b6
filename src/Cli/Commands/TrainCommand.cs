using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using HotDistance.Charts;
using HotDistance.Cli.Train;
using HotDistance.Contracts;
using HotDistance.Core.Crops;
using HotDistance.Core.IO;
using HotDistance.Core.Volumes;
using HotDistance.Core.Zarr;
using HotDistance.Evaluator;
using HotDistance.Learning.Checkpoints;
using HotDistance.Learning.Model;
using HotDistance.Learning.Runtime;
using HotDistance.Learning.Training;
using Spectre.Console;

namespace HotDistance.Cli.Commands;

/// <summary>
/// <c>hd train &lt;dataset.zarr&gt;... --variant V --steps N</c>: trains one variant on CellMap crops outside the
/// pipeline, with a progress bar; Ctrl+C stops it and the same command resumes it from the last checkpoint.
/// </summary>
public static class TrainCommand
{
    public const string LossChartFile = "loss.png";
    public const string Arch3D = "3d";
    public const string Arch2D = "2d";
    public const string ArchAuto = "auto";

    public static Command Create()
    {
        var defaults = new TrainingSettings();
        var datasets = new Argument<string[]>("datasets") { Description = "CellMap dataset folders (<dataset>.zarr) whose crops to train on, or crop groups (<dataset>.zarr/recon-1/labels/groundtruth/crop3)", Arity = ArgumentArity.OneOrMore };
        var variant = new Option<string>("--variant") { Description = $"Model variant: {string.Join(", ", Variants.All)}", Required = true };
        var steps = new Option<int>("--steps") { Description = "Training steps (batches)", Required = true };
        var output = new Option<string?>("--out")
        {
            Description = "Folder for the checkpoints (steps/, final/), train.json and loss.png. Default: ./.hd/train/<variant>-<time>, or the newest run of this same command there, which is resumed",
        };
        var crop = new Option<string?>("--crop") { Description = "Comma-separated crops to train on, e.g. crop3 or crop1,crop3. Default: every crop of each dataset" };
        var classes = new Option<string?>("--classes")
        {
            Description = "Comma-separated classes to learn, one channel each, in this order (e.g. mito,er). Default: the pipeline's classes that the crops annotate, else every class they annotate",
        };
        var warmStart = new Option<string?>("--warm-start")
        {
            Description = "Start from this model instead of random weights: a checkpoint folder, or an hd train output (its final/). It must have the same variant, classes and network",
        };
        var patch = new Option<int>("--patch") { Description = "Patch edge in voxels (smaller along an axis where the crops are thinner)", DefaultValueFactory = _ => defaults.PatchSize };
        var batch = new Option<int>("--batch") { Description = "Patches per step", DefaultValueFactory = _ => defaults.BatchSize };
        var learningRate = new Option<double>("--lr") { Description = "Adam learning rate, held for the first half of the steps, then falling linearly to zero", DefaultValueFactory = _ => defaults.LearningRate };
        var seed = new Option<int>("--seed") { Description = "Seed of the initial weights and of the patch draws", DefaultValueFactory = _ => defaults.Seed };
        var checkpointEvery = new Option<int>("--checkpoint-every")
        {
            Description = "Steps between checkpoints under steps/: at most this many steps are lost to Ctrl+C",
            DefaultValueFactory = _ => defaults.CheckpointEvery,
        };
        var arch = new Option<string>("--arch")
        {
            Description = $"Network: {Arch3D} (3x3x3 kernels, 2x2x2 downsampling twice), {Arch2D} (1x3x3 kernels, no downsampling along Z, for thin stacks down to one slice), or {ArchAuto} ({Arch2D} when a crop has fewer slices than {Arch3D} downsamples)",
            DefaultValueFactory = _ => ArchAuto,
        };
        var device = new Option<string?>("--device")
        {
            Description = $"{ComputeDevices.Auto} (the GPU when there is one), {ComputeDevices.Cpu}, {ComputeDevices.Cuda} or {ComputeDevices.Cuda}:N. Default: the configuration's device (HD_DEVICE), else {ComputeDevices.Auto}",
        };
        var intensity = new Option<string>("--intensity")
        {
            Description = $"How raw intensities become the network's input, recorded with the model: {IntensityNormalization.Syntax}. " +
                "dtype scales by the stored type (0-255, 0-65535); percentiles maps each crop's LOW..HIGH percent (default 0.5,99.5), which suits 12-bit data stored as uint16; minmax maps a fixed window of stored values",
            DefaultValueFactory = _ => defaults.Intensity.ToString(),
        };
        var command = new Command("train", CommandHelp.WithExamples("Train one model variant on CellMap crops outside the pipeline; Ctrl+C stops, the same command resumes.", "hd train /data/jrc_cell.zarr --variant hot-distance --steps 2000 --classes mito,er"))
        {
            datasets, variant, steps, output, crop, classes, warmStart, patch, batch, learningRate, seed, checkpointEvery, arch, device, intensity,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var request = new TrainRequest(
                parse.GetValue(datasets)!,
                parse.GetValue(variant)!,
                parse.GetValue(steps),
                parse.GetValue(output),
                CommaList.Parse(parse.GetValue(crop)),
                CommaList.Parse(parse.GetValue(classes)),
                parse.GetValue(warmStart),
                parse.GetValue(patch),
                parse.GetValue(batch),
                parse.GetValue(learningRate),
                parse.GetValue(seed),
                parse.GetValue(checkpointEvery),
                parse.GetValue(arch)!,
                parse.GetValue(device),
                IntensityNormalization.Parse(parse.GetValue(intensity)!, "--intensity"));
            try
            {
                var loaded = GlobalOptions.Load(parse);
                return await RunAsync(request with { Device = request.Device ?? loaded.Device }, loaded.Pipeline, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is CheckpointException or ExternalException or IOException and not FileNotFoundException and not DirectoryNotFoundException)
            {
                CommandRunner.Error($"training failed: {exception.Message}");
                return ExitCodes.Failure;
            }
        }));
        return command;
    }

    private static async Task<int> RunAsync(TrainRequest request, Core.PipelineSettings pipeline, CancellationToken cancellationToken)
    {
        request.Validate();
        var computeDevice = ComputeDevices.Select(request.Device);
        var crops = ReadCrops(request.Datasets, request.Crops);
        var classes = ChooseClasses(crops, request.Classes, pipeline.Classes);
        var architecture = ChooseArchitecture(crops, request.Architecture);
        var settings = new TrainingSettings
        {
            Steps = request.Steps,
            PatchSize = request.PatchSize,
            BatchSize = request.BatchSize,
            LearningRate = request.LearningRate,
            Seed = request.Seed,
            CheckpointEvery = request.CheckpointEvery,
            Architecture = architecture,
            Intensity = request.Intensity,
            MutuallyExclusive = pipeline.MutuallyExclusive,
            Device = request.Device,
        };
        var warmStart = request.WarmStart is { } warm ? ResolveWarmStart(warm) : null;
        var record = new TrainRunRecord(
            request.Variant,
            crops.Select(c => new TrainRunCrop(c.CropId, c.ContentHash)).ToList(),
            classes,
            settings.Steps,
            settings.PatchSize,
            settings.BatchSize,
            settings.LearningRate,
            settings.Seed,
            architecture.Planar ? Arch2D : Arch3D,
            warmStart,
            settings.DistanceScaleNm,
            settings.MutuallyExclusive.Select(pair => string.Join(':', pair)).ToList())
        {
            Intensity = settings.Intensity.ToString(),
        };
        var defaultRoot = Path.Combine(Environment.CurrentDirectory, ".hd", "train");
        var (outputDirectory, existing) = TrainOutputFolder.Choose(request.Output, record, defaultRoot, DateTime.Now);
        var job = new TrainingJob(request.Variant, classes, crops, outputDirectory, warmStart);
        if (warmStart is not null && VariantTrainer.WarmStartProblem(warmStart, job, architecture, settings.Intensity) is { } problem)
        {
            throw new ArgumentException($"--warm-start: {problem}");
        }

        Directory.CreateDirectory(outputDirectory);
        if (!existing)
        {
            record.Write(outputDirectory);
        }

        AnsiConsole.MarkupLine(string.Create(
            CultureInfo.InvariantCulture,
            $"training [bold]{request.Variant}[/] on {crops.Count} crop(s) for {string.Join(", ", classes)}: {settings.Steps} steps, {(architecture.Planar ? Arch2D : Arch3D)} network, intensity {settings.Intensity}, {ComputeDevices.Describe(computeDevice)}{(existing ? ", continuing the run in" : ", writing to")} [blue]{Markup.Escape(outputDirectory)}[/]"));
        var result = await TrainWithProgressAsync(new VariantTrainer(settings), job, cancellationToken).ConfigureAwait(false);
        return Report(result, outputDirectory, crops.Count);
    }

    private static async Task<TrainingResult> TrainWithProgressAsync(VariantTrainer trainer, TrainingJob job, CancellationToken cancellationToken)
    {
        var latest = new LatestProgress<TrainingProgress>();
        var training = trainer.RunAsync(job, latest, cancellationToken);
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 16 }, new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var bar = progress.AddTask($"{job.Variant}  preparing targets", maxValue: 1);
                while (!training.IsCompleted)
                {
                    Show(bar, job.Variant, latest.Current);
                    await Task.WhenAny(training, Task.Delay(200, CancellationToken.None)).ConfigureAwait(false);
                }

                Show(bar, job.Variant, latest.Current);
                if (training.IsCompletedSuccessfully)
                {
                    bar.MaxValue = Math.Max(bar.MaxValue, 1);
                    bar.Value = bar.MaxValue;
                }
            }).ConfigureAwait(false);
        return await training.ConfigureAwait(false);
    }

    private static void Show(ProgressTask bar, string variant, TrainingProgress? progress)
    {
        if (progress is null)
        {
            return;
        }

        bar.MaxValue = progress.TotalSteps;
        bar.Value = progress.Step;
        bar.Description = string.Create(
            CultureInfo.InvariantCulture,
            $"{variant}  step {progress.Step}/{progress.TotalSteps}  loss {progress.Loss:F4}  {progress.StepsPerSecond:F1} steps/s  ETA {ProgressText.Clock(progress.Eta)}");
    }

    private static int Report(TrainingResult result, string outputDirectory, int cropCount)
    {
        var metadata = result.Metadata;
        var chartPath = Path.Combine(outputDirectory, LossChartFile);
        AtomicFile.Write(chartPath, LossChart.Render([new LossCurve(metadata.Variant, metadata.LossHistory)]));
        var how = result.StartStep switch
        {
            0 => string.Empty,
            var start when start >= metadata.TotalSteps => " (already trained: nothing to do)",
            var start => string.Create(CultureInfo.InvariantCulture, $" (resumed at step {start})"),
        };
        AnsiConsole.MarkupLine(string.Create(
            CultureInfo.InvariantCulture,
            $"[green]trained[/] {metadata.Variant} for {metadata.Step} steps on {cropCount} crop(s){how}: final loss [bold]{metadata.FinalLoss:F4}[/]"));
        AnsiConsole.MarkupLine($"checkpoint: [blue]{Markup.Escape(result.CheckpointDirectory)}[/]");
        AnsiConsole.MarkupLine($"loss curve: [blue]{Markup.Escape(chartPath)}[/]");
        return ExitCodes.Success;
    }

    /// <summary>
    /// Every crop of each dataset, or those named by --crop, or the one a crop group path names; each with its content
    /// hash for the run record.
    /// </summary>
    internal static List<TrainingCrop> ReadCrops(IReadOnlyList<string> datasets, IReadOnlyList<string>? requested)
    {
        var chosen = new List<(string Dataset, string Crop)>();
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in datasets)
        {
            var (dataset, named) = CellMapLayout.SplitCropPath(path);
            if (named is not null)
            {
                var (_, crop) = DatasetCrop.Resolve(path, null, "dataset");
                found.Add(crop);
                chosen.Add((dataset, crop));
                continue;
            }

            if (!Directory.Exists(dataset))
            {
                throw new DirectoryNotFoundException($"dataset {dataset} does not exist; point at a CellMap dataset folder (<dataset>.zarr)");
            }

            var available = CellMapCropReader.ListCrops(dataset);
            if (available.Count == 0)
            {
                throw new ArgumentException(
                    $"dataset {dataset} holds no crops (nothing under {CellMapLayout.GroundTruthPath(dataset)}); point at a CellMap dataset (<dataset>.zarr) with annotated crops");
            }

            var picked = requested is null ? available : available.Where(requested.Contains).ToList();
            if (picked.Count == 0)
            {
                throw new ArgumentException($"--crop {string.Join(",", requested!)}: dataset {dataset} has none of these crops; its crops: {string.Join(", ", available)}");
            }

            found.UnionWith(picked);
            chosen.AddRange(picked.Select(c => (dataset, c)));
        }

        if (requested?.FirstOrDefault(c => !found.Contains(c)) is { } missing)
        {
            throw new ArgumentException($"--crop {missing}: none of the datasets has such a crop");
        }

        var crops = new List<TrainingCrop>();
        AnsiConsole.Status().Start("reading crops", status =>
        {
            foreach (var (dataset, cropName) in chosen)
            {
                status.Status($"reading {Markup.Escape(dataset)} {Markup.Escape(cropName)}");
                var read = CellMapCropReader.Read(dataset, cropName);
                crops.Add(new TrainingCrop(read.Name, CropContentHash.Compute(read), read));
            }
        });
        return crops;
    }

    internal static List<string> ChooseClasses(IReadOnlyList<TrainingCrop> crops, IReadOnlyList<string>? requested, IReadOnlyList<string> pipelineClasses)
    {
        var annotated = crops.SelectMany(c => c.Crop.Labels.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (requested is null)
        {
            var known = pipelineClasses.Where(annotated.Contains).ToList();
            return known.Count > 0 ? known : annotated;
        }

        if (requested.Count == 0)
        {
            throw new ArgumentException("--classes names no class; list them separated by commas, e.g. --classes mito,er");
        }

        foreach (var name in requested)
        {
            if (!annotated.Contains(name, StringComparer.Ordinal))
            {
                throw new ArgumentException($"--classes: no crop annotates class '{name}'; the crops annotate {string.Join(", ", annotated)}");
            }
        }

        return requested.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The network for --arch; auto takes the 2D one when a crop is too thin for the 3D one's downsampling.</summary>
    private static ModelArchitecture ChooseArchitecture(IReadOnlyList<TrainingCrop> crops, string requested)
    {
        var threeD = ModelArchitecture.Small;
        var (fitting, reason) = ArchitectureChoice.For(crops, threeD);
        var architecture = requested switch
        {
            Arch3D when reason is not null => throw new ArgumentException($"--arch {Arch3D}: {reason.Split(':')[0]}; use --arch {Arch2D} for thin stacks"),
            Arch3D => threeD,
            Arch2D => threeD.AsPlanar(),
            ArchAuto => fitting,
            _ => throw new ArgumentException($"--arch {requested}: use {Arch3D}, {Arch2D} or {ArchAuto}"),
        };
        if (requested == ArchAuto && reason is not null)
        {
            AnsiConsole.MarkupLine($"[grey]{Markup.Escape(reason)} (pass --arch to choose)[/]");
        }

        if (crops.Select(c => ArchitectureChoice.Unusable(c, architecture)).FirstOrDefault(problem => problem is not null) is { } unusable)
        {
            throw new ArgumentException(unusable);
        }

        return architecture;
    }

    /// <summary>A checkpoint folder as given, or the final model of an hd train output folder.</summary>
    private static string ResolveWarmStart(string path)
    {
        if (!Directory.Exists(path))
        {
            throw new DirectoryNotFoundException($"--warm-start {path} does not exist; point at a checkpoint folder (with {Checkpoint.ModelFile} and {Checkpoint.MetadataFile}) or an hd train output");
        }

        var final = Path.Combine(path, VariantTrainer.FinalDirectory);
        var chosen = File.Exists(Path.Combine(path, Checkpoint.MetadataFile)) || !Directory.Exists(final) ? path : final;
        return Path.GetFullPath(chosen);
    }

    /// <summary>The options of one hd train invocation.</summary>
    private sealed record TrainRequest(
        IReadOnlyList<string> Datasets,
        string Variant,
        int Steps,
        string? Output,
        IReadOnlyList<string>? Crops,
        IReadOnlyList<string>? Classes,
        string? WarmStart,
        int PatchSize,
        int BatchSize,
        double LearningRate,
        int Seed,
        int CheckpointEvery,
        string Architecture,
        string? Device,
        IntensityNormalization Intensity)
    {
        public void Validate()
        {
            if (!Variants.All.Contains(Variant, StringComparer.Ordinal))
            {
                throw new ArgumentException($"--variant {Variant}: use one of {string.Join(", ", Variants.All)}");
            }

            Require(Steps > 0, $"--steps {Steps}: train at least one step");
            Require(PatchSize >= 4, $"--patch {PatchSize}: patches must be at least 4 voxels, what the network downsamples in Y and X");
            Require(BatchSize > 0, $"--batch {BatchSize}: use at least one patch per step");
            Require(CheckpointEvery > 0, $"--checkpoint-every {CheckpointEvery}: use a positive number of steps");
            Require(double.IsFinite(LearningRate) && LearningRate > 0, string.Create(CultureInfo.InvariantCulture, $"--lr {LearningRate}: use a positive learning rate, e.g. 3e-3"));
            Require(Crops is not { Count: 0 }, "--crop names no crop; list them separated by commas, e.g. --crop crop1,crop3");
        }

        private static void Require(bool ok, string message)
        {
            if (!ok)
            {
                throw new ArgumentException(message);
            }
        }
    }
}
