using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using HotDistance.Ablation;
using HotDistance.Core.Crops;
using HotDistance.Core.Metrics;
using HotDistance.Core.Threading;
using HotDistance.Core.Volumes;
using HotDistance.Learning.Checkpoints;
using HotDistance.Learning.Runtime;
using HotDistance.Learning.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace HotDistance.Cli.Commands;

/// <summary>
/// <c>hd ablate &lt;dataset.zarr&gt;... | --preset NAME</c>: trains the configuration's grid (variants, lambdas, annotation
/// densities, seeds) on the same crops, scores every cell on the same held-out crops, and writes ablation.json, .md
/// and .html. Ctrl+C stops it; the same command resumes it without repeating a finished cell.
/// </summary>
public static class AblateCommand
{
    public static Command Create()
    {
        var datasets = new Argument<string[]>("datasets")
        {
            Description = "CellMap dataset folders (<dataset>.zarr) or crop groups; a share of the crops (ablation:heldOutFraction, by content hash) is held out for scoring and never thinned",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var preset = new Option<string?>("--preset")
        {
            Description = $"Run a built-in grid on the built-in synthetic crops instead of the configuration's ablation section: {AblationPresets.Readme} (the README's results, under 30 minutes on 2 cores) or {AblationPresets.Smoke} (about a minute)",
        };
        var output = new Option<string?>("--out")
        {
            Description = "The ablation's folder (cells/, ablation.json, ablation.md, ablation.html). Default: ablation:output, else ./.hd/ablation/<preset or grid>; rerunning into it resumes",
        };
        var name = new Option<string?>("--name")
        {
            Description = "The ablation's name (letters, digits, '.', '-', '_'): its folder is ./.hd/ablation/NAME, or with --distribute ablations/NAME in the workspace. Default: the preset's name, else grid",
        };
        var distribute = new Option<bool>("--distribute")
        {
            Description = "Spread the cells over the pipeline's training runners, one cell per job, through the broker (--rabbitmq / HD_RABBITMQ); the runners share the workspace, where the plan and the results live",
        };
        var classes = new Option<string?>("--classes") { Description = "Comma-separated classes to learn and score. Default: the pipeline's classes that the crops annotate" };
        var device = new Option<string?>("--device") { Description = $"{ComputeDevices.Auto}, {ComputeDevices.Cpu}, {ComputeDevices.Cuda} or {ComputeDevices.Cuda}:N. Default: the configuration's device" };
        var command = new Command("ablate", CommandHelp.WithExamples(
            "Train every cell of an ablation grid (variant x lambda x annotation density x seed) on the same crops, score each on the same held-out crops, and report each score with paired-bootstrap intervals against one-hot and distance. " +
            "The grid is the configuration's ablation section (hd config show). Ctrl+C stops; the same command resumes, never repeating a finished cell. " +
            "Exit codes: 0 done, 1 a cell failed, 2 bad arguments or configuration, 3 libtorch unavailable, 130 stopped (rerun to resume).",
            "hd ablate --preset readme",
            "hd ablate /data/jrc_cell.zarr --config ablation.json --out runs/ablation-1",
            "HD_ABLATION__SEEDS=1,2,3 HD_ABLATION__LAMBDAS=0.3,1 hd ablate /data/jrc_cell.zarr",
            "hd ablate --preset readme --distribute --rabbitmq amqp://hd:secret@broker:5672/ --workspace /shared/hd"))
        {
            datasets, preset, output, name, distribute, classes, device,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var request = new AblateRequest(parse.GetValue(datasets) ?? [], parse.GetValue(preset), parse.GetValue(output), parse.GetValue(name), parse.GetValue(distribute), CommaList.Parse(parse.GetValue(classes)), parse.GetValue(device));
            try
            {
                var loaded = GlobalOptions.Load(parse);
                return await RunAsync(request, loaded, string.Join(' ', Environment.GetCommandLineArgs().Skip(1)), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is CheckpointException or ExternalException or TrainingDivergedException or CellFailedException or IOException and not FileNotFoundException and not DirectoryNotFoundException)
            {
                CommandRunner.Error($"ablation failed: {exception.Message}");
                return ExitCodes.Failure;
            }
        }));
        return command;
    }

    private static async Task<int> RunAsync(AblateRequest request, Hosting.HostSettings host, string commandLine, CancellationToken cancellationToken)
    {
        if ((request.Preset is null) == (request.Datasets.Count == 0))
        {
            throw new ArgumentException("give the datasets to ablate on, or --preset with no datasets (e.g. hd ablate --preset readme)");
        }

        var started = DateTimeOffset.UtcNow;
        var name = request.Name ?? request.Preset ?? "grid";
        if (!Contracts.Identifiers.IsValid(name))
        {
            throw new ArgumentException($"--name {name}: use {Contracts.Identifiers.Rule}");
        }

        var (settings, inputs, data) = request.Preset is { } preset ? FromPreset(preset, host, request) : FromDatasets(request, host);
        var cells = AblationGrid.Compose(settings).Count;
        var loads = new List<double>();
        AblationOutcome outcome;
        string folder;
        if (request.Distribute)
        {
            if (host.RabbitMqUri is null)
            {
                throw new ArgumentException("--distribute needs the pipeline's broker: give --rabbitmq or set HD_RABBITMQ (the training runners must share this workspace)");
            }

            if (request.Output is not null)
            {
                throw new ArgumentException("--out cannot be used with --distribute: the runners find the ablation in the shared workspace, under ablations/<--name>");
            }

            folder = Trainer.AblationCellRequestedConsumer.FolderOf(new Core.Workspace.WorkspaceLayout(host.Pipeline.Workspace), name);
            Directory.CreateDirectory(folder);
            // Every cell, wherever it runs, reads the crops back from the plan: the same bytes and the same fingerprints.
            AblationPlanFile.Write(folder, settings, inputs);
            (settings, inputs) = AblationPlanFile.Read(folder, inputs.Device);
            AnsiConsole.MarkupLine(string.Create(
                CultureInfo.InvariantCulture,
                $"ablation of {cells} cells on {inputs.Training.Count} training and {inputs.HeldOut.Count} held-out crop(s) for {string.Join(", ", inputs.Classes)}, on the training runners of {Markup.Escape(host.RabbitMqUri.Host)}, in [blue]{Markup.Escape(folder)}[/]"));
            using var bus = Hosting.PipelineHost.Build(host, [], logging: l => l.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
            await bus.StartAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var runner = new BrokerCellRunner(bus.Services.GetRequiredService<MassTransit.IBus>(), name, settings, inputs);
                outcome = await RunWithProgressAsync(new AblationRunner(settings, inputs, folder, runner), loads, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await bus.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        else
        {
            folder = Path.GetFullPath(request.Output ?? settings.Output ?? Path.Combine(Environment.CurrentDirectory, ".hd", "ablation", name));
            Directory.CreateDirectory(folder);
            var device = ComputeDevices.Select(inputs.Device);
            AnsiConsole.MarkupLine(string.Create(
                CultureInfo.InvariantCulture,
                $"ablation of {cells} cells on {inputs.Training.Count} training and {inputs.HeldOut.Count} held-out crop(s) for {string.Join(", ", inputs.Classes)}, {ComputeDevices.Describe(device)}, in [blue]{Markup.Escape(folder)}[/]"));
            outcome = await RunWithProgressAsync(new AblationRunner(settings, inputs, folder), loads, cancellationToken).ConfigureAwait(false);
        }

        var figures = AblationFigures.Compute(settings, outcome.Results, inputs.InstanceClasses);
        var context = new AblationRunContext(
            $"hd {commandLine}".Trim(),
            request.Distribute ? $"the pipeline's training runners (this command on {Machine(ComputeDevices.Select(inputs.Device))})" : Machine(ComputeDevices.Select(inputs.Device)),
            started,
            DateTimeOffset.UtcNow,
            loads.Count == 0 ? null : string.Create(CultureInfo.InvariantCulture, $"min {loads.Min():F1}, mean {loads.Average():F1}, max {loads.Max():F1} on {Environment.ProcessorCount} cores"),
            data);
        AblationReport.Write(folder, settings, outcome, figures, context);
        foreach (var line in AblationReading.Write(figures))
        {
            AnsiConsole.MarkupLine($"  {Markup.Escape(line)}");
        }

        AnsiConsole.MarkupLine($"[green]ablation done[/]: {outcome.Trained.Count} cell(s) trained, {outcome.Cells.Count - outcome.Trained.Count} reused");
        AnsiConsole.MarkupLine($"report: [blue]{Markup.Escape(Path.Combine(folder, AblationReport.HtmlFile))}[/] (table: {AblationReport.MarkdownFile}, figures: {AblationReport.JsonFile})");
        return ExitCodes.Success;
    }

    private static async Task<AblationOutcome> RunWithProgressAsync(AblationRunner runner, List<double> loads, CancellationToken cancellationToken)
    {
        AblationProgress? latest = null;
        var finished = new System.Collections.Concurrent.ConcurrentQueue<AblationProgress>();
        var running = runner.RunAsync(
            new SynchronousProgress<AblationProgress>(p =>
            {
                latest = p;
                if (p.Finished is not null)
                {
                    finished.Enqueue(p);
                }
            }),
            cancellationToken);
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 16 }, new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var bar = progress.AddTask("ablation  preparing", maxValue: 1);
                while (!running.IsCompleted)
                {
                    Show(bar, latest);
                    while (finished.TryDequeue(out var done))
                    {
                        loads.Add(LoadAverage());
                        AnsiConsole.MarkupLine(Markup.Escape(Finished(done)));
                    }

                    await Task.WhenAny(running, Task.Delay(250, CancellationToken.None)).ConfigureAwait(false);
                }

                while (finished.TryDequeue(out var done))
                {
                    loads.Add(LoadAverage());
                    AnsiConsole.MarkupLine(Markup.Escape(Finished(done)));
                }

                Show(bar, latest);
            }).ConfigureAwait(false);
        return await running.ConfigureAwait(false);
    }

    private static void Show(ProgressTask bar, AblationProgress? progress)
    {
        if (progress is null)
        {
            return;
        }

        bar.MaxValue = progress.CellsTotal * (double)progress.TotalSteps;
        bar.Value = (progress.CellsDone * (double)progress.TotalSteps) + (progress.Phase == "training" ? progress.Step : 0);
        bar.Description = Markup.Escape(string.Create(
            CultureInfo.InvariantCulture,
            $"cells {progress.CellsDone}/{progress.CellsTotal}{(progress.CellsReused > 0 ? $" ({progress.CellsReused} reused)" : string.Empty)}" +
            $"{(progress.Current is { } cell && progress.Phase == "training" ? $"  {cell.Label} step {progress.Step}/{progress.TotalSteps}" : string.Empty)}  ETA {Eta(progress.Eta)}"));
    }

    private static string Finished(AblationProgress progress)
    {
        var result = progress.Finished!;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"cell {progress.CellsDone}/{progress.CellsTotal} done: {progress.Current!.Label}: overall {result.Overall:F3}, {result.Timings.WallSeconds:F0} s{(result.Timings.StartStep > 0 ? $" (resumed at step {result.Timings.StartStep})" : string.Empty)}; ETA {Eta(progress.Eta)}");
    }

    private static string Eta(TimeSpan? eta) => eta is { } e ? ProgressText.Clock(e) : "estimating";

    private static (AblationSettings, AblationInputs, string) FromPreset(string name, Hosting.HostSettings host, AblateRequest request)
    {
        var (settings, data) = AblationPresets.Get(name);
        var training = data.Training().Select(c => new TrainingCrop(c.Name, CropContentHash.Compute(c), c)).ToList();
        var classes = TrainCommand.ChooseClasses(training, request.Classes, host.Pipeline.Classes);
        return (settings, Inputs(settings, training, data.HeldOut(), classes, host, request), data.Describe());
    }

    private static (AblationSettings, AblationInputs, string) FromDatasets(AblateRequest request, Hosting.HostSettings host)
    {
        var settings = host.Ablation;
        var all = TrainCommand.ReadCrops(request.Datasets, null);
        if (all.Count < 2)
        {
            throw new ArgumentException($"{string.Join(", ", request.Datasets)}: {all.Count} crop(s); an ablation needs at least one crop to train on and one to hold out");
        }

        var heldOutCount = Math.Clamp((int)Math.Ceiling(all.Count * settings.HeldOutFraction), 1, all.Count - 1);
        var heldOut = all.OrderBy(c => c.ContentHash, StringComparer.Ordinal).Take(heldOutCount).ToHashSet();
        var training = all.Where(c => !heldOut.Contains(c)).ToList();
        var classes = TrainCommand.ChooseClasses(all, request.Classes, host.Pipeline.Classes);
        var data = string.Create(CultureInfo.InvariantCulture, $"{string.Join(", ", request.Datasets)}: {training.Count} training crops ({string.Join(", ", training.Select(c => c.CropId))}), {heldOut.Count} held out ({string.Join(", ", all.Where(heldOut.Contains).Select(c => c.CropId))})");
        return (settings, Inputs(settings, training, all.Where(heldOut.Contains).Select(c => c.Crop).ToList(), classes, host, request), data);
    }

    private static AblationInputs Inputs(AblationSettings settings, List<TrainingCrop> training, IReadOnlyList<Crop> heldOut, IReadOnlyList<string> classes, Hosting.HostSettings host, AblateRequest request)
    {
        var (architecture, _) = ArchitectureChoice.For(training, settings.Training.Architecture);
        if (training.Select(c => ArchitectureChoice.Unusable(c, architecture)).FirstOrDefault(problem => problem is not null) is { } unusable)
        {
            throw new ArgumentException(unusable);
        }

        return new(
            training,
            heldOut,
            classes,
            host.Pipeline.InstanceClasses.ToHashSet(StringComparer.Ordinal),
            host.Pipeline.MutuallyExclusive,
            architecture,
            settings.Training.Intensity,
            request.Device ?? host.Device);
    }

    private static string Machine(TorchSharp.torch.Device device)
    {
        var cpu = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() : null;
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} CPU cores ({cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}), {memory:F0} GiB, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, {ComputeDevices.Describe(device)}");
    }

    private static double LoadAverage() =>
        File.Exists("/proc/loadavg") && double.TryParse(File.ReadAllText("/proc/loadavg").Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var load) ? load : double.NaN;

    private sealed record AblateRequest(IReadOnlyList<string> Datasets, string? Preset, string? Output, string? Name, bool Distribute, IReadOnlyList<string>? Classes, string? Device);
}
