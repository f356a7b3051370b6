using System.CommandLine;
using System.Globalization;
using HotDistance.Cli.Demo;
using HotDistance.Contracts;
using HotDistance.Core.Synthetic;
using HotDistance.Core.Zarr;
using HotDistance.Dashboard;
using HotDistance.Hosting;
using HotDistance.Ingest;
using HotDistance.Trainer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace HotDistance.Cli.Commands;

/// <summary>
/// <c>hd demo</c>: the whole pipeline in one process on built-in synthetic crops: ingest, train the three
/// variants, evaluate on held-out crops, promote the winner to the local registry, show the scores.
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var steps = new Option<int>("--steps") { Description = "Training steps per variant", DefaultValueFactory = _ => 250 };
        var crops = new Option<int>("--crops") { Description = "Synthetic crops to generate (2 to 8)", DefaultValueFactory = _ => 8 };
        var size = new Option<int>("--size") { Description = "Edge length of each synthetic crop in voxels", DefaultValueFactory = _ => 48 };
        var resume = new Option<bool>("--resume") { Description = "Continue the demo in --workspace (or the latest demo workspace) instead of starting a fresh one" };
        var timeout = new Option<int>("--timeout") { Description = "Give up after this many minutes", DefaultValueFactory = _ => 20 };
        var serve = new Option<bool>("--serve") { Description = "Also serve the dashboard (dashboard:port, 5080) to watch the run live in a browser" };
        var command = new Command("demo", CommandHelp.WithExamples("Run the whole pipeline end to end in one process on synthetic crops (in-process bus, local folders, local registry).", "hd demo", "hd demo --resume", "hd demo --crops 4 --steps 40", "hd demo --serve"))
        {
            steps, crops, size, resume, timeout, serve,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var requested = new DemoRunSettings(parse.GetValue(crops), parse.GetValue(size), parse.GetValue(steps));
            if (requested.Crops is < 2 or > 8)
            {
                throw new ArgumentException($"--crops {requested.Crops}: use 2 to 8 crops (at least one for training and one held out)");
            }

            var isResume = parse.GetValue(resume);
            var workspace = ChooseWorkspace(parse.GetValue(GlobalOptions.Workspace), isResume);
            var run = isResume && DemoRunSettings.Read(workspace) is { } started ? started : requested;
            if (run != requested && isResume)
            {
                AnsiConsole.MarkupLine($"resuming with the settings this workspace was started with: {Markup.Escape(run.ToString())}");
            }

            run.Write(workspace);
            var loaded = GlobalOptions.Configuration(parse, workspace).Settings;
            var settings = loaded with
            {
                Trainer = loaded.Trainer with
                {
                    Debounce = TimeSpan.FromSeconds(2),
                    Training = loaded.Trainer.Training with { Steps = run.Steps, CheckpointEvery = 25 },
                },
            };
            var minutes = parse.GetValue(timeout);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromMinutes(minutes));
            var resumeCommand = $"./hd demo --resume{(parse.GetValue(GlobalOptions.Workspace) is { } w ? $" -w {w}" : string.Empty)}";
            try
            {
                IReadOnlyList<string> roles = parse.GetValue(serve) ? [.. PipelineRoles.All, DashboardRole.Name] : PipelineRoles.All;
                return await RunAsync(settings, roles, DemoCrops.Specs(run.Crops, run.Size), isResume, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                CommandRunner.Error($"timed out after {minutes} minutes before the generation was evaluated. `{resumeCommand}` continues from the last checkpoints; --timeout sets the limit.");
                return ExitCodes.Failure;
            }
            catch (OperationCanceledException)
            {
                AnsiConsole.MarkupLine($"[yellow]stopped[/]: `{Markup.Escape(resumeCommand)}` continues this workspace from its last checkpoints.");
                return ExitCodes.Interrupted;
            }
        }));
        return command;
    }

    private static string ChooseWorkspace(string? requested, bool resume)
    {
        if (requested is not null)
        {
            return requested;
        }

        var runs = Path.Combine(Environment.CurrentDirectory, ".hd", "demo");
        if (resume && Directory.Exists(runs) && Directory.EnumerateDirectories(runs).Order(StringComparer.Ordinal).LastOrDefault() is { } latest)
        {
            return latest;
        }

        return Path.Combine(runs, DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
    }

    private static async Task<int> RunAsync(HostSettings settings, IReadOnlyList<string> roles, IReadOnlyList<SyntheticCropSpec> specs, bool resume, CancellationToken cancellationToken)
    {
        var workspace = settings.Pipeline.Workspace;
        AnsiConsole.MarkupLine($"[bold]HotDistance demo[/]: workspace [blue]{Markup.Escape(workspace)}[/]{(resume ? " (resuming)" : string.Empty)}");
        var events = new PipelineEvents();
        using var host = PipelineHost.Build(
            settings,
            roles,
            (services, bus) => PipelineObserver.Register(services, bus, events),
            logging => logging.SetMinimumLevel(LogLevel.Error));
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        if (host.Services.GetService<DashboardServer>() is { Address: { } dashboard })
        {
            AnsiConsole.MarkupLine($"watch it live: [link]{Markup.Escape(dashboard.ToString())}[/] (while the demo runs; ./hd serve -w {Markup.Escape(workspace)} afterwards)");
        }

        try
        {
            var incoming = Path.Combine(workspace, "incoming");
            var outcomes = new List<IngestOutcome>();
            IReadOnlyDictionary<string, string> failures = new Dictionary<string, string>();
            var generationId = string.Empty;
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async progress =>
                {
                    var generate = progress.AddTask("generate synthetic crops", maxValue: specs.Count);
                    var paths = new List<string>();
                    foreach (var spec in specs)
                    {
                        var path = Path.Combine(incoming, $"{spec.Name}.zarr");
                        if (!Directory.Exists(path))
                        {
                            CellMapCropWriter.Write(SyntheticCropGenerator.Generate(spec), path, "crop1");
                        }

                        paths.Add(path);
                        generate.Increment(1);
                    }

                    // Ingest back to back, so the crops fall inside one debounce window and form one generation.
                    var ingest = progress.AddTask("ingest crops", maxValue: specs.Count);
                    foreach (var path in paths)
                    {
                        using var scope = host.Services.CreateScope();
                        outcomes.AddRange(await scope.ServiceProvider.GetRequiredService<CropIngestor>().IngestAsync(path, null, cancellationToken).ConfigureAwait(false));
                        ingest.Increment(1);
                    }

                    var planner = host.Services.GetRequiredService<GenerationPlanner>();
                    if (resume)
                    {
                        await planner.RepublishLatestAsync(cancellationToken).ConfigureAwait(false);
                    }

                    generationId = await WaitForGenerationAsync(planner, cancellationToken).ConfigureAwait(false);
                    var training = Variants.All.ToDictionary(v => v, v => progress.AddTask($"train {v}", maxValue: settings.Trainer.Training.Steps));
                    var evaluate = progress.AddTask("evaluate + promote", maxValue: 1);
                    var outcome = events.OutcomeOf(generationId);
                    while (!outcome.IsCompleted && failures.Count == 0)
                    {
                        foreach (var (variant, task) in training)
                        {
                            if (events.Trained.ContainsKey($"{generationId}/{variant}"))
                            {
                                task.Value = task.MaxValue;
                            }
                            else if (events.LatestProgress.TryGetValue(variant, out var p) && p.GenerationId == generationId)
                            {
                                task.Value = p.Step;
                                task.Description = string.Create(CultureInfo.InvariantCulture, $"train {variant} (loss {p.Loss:F3}, {p.StepsPerSecond:F1} steps/s)");
                            }
                        }

                        failures = events.FailuresOf(generationId);
                        await Task.WhenAny(outcome, Task.Delay(250, cancellationToken)).ConfigureAwait(false);
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    foreach (var (variant, task) in training)
                    {
                        if (failures.ContainsKey($"train {variant}"))
                        {
                            task.Description = $"[red]train {variant}: failed[/]";
                            task.StopTask();
                        }
                        else if (failures.Count == 0)
                        {
                            task.Value = task.MaxValue;
                        }
                    }

                    if (failures.Count == 0)
                    {
                        evaluate.Value = 1;
                    }
                }).ConfigureAwait(false);

            if (failures.Count > 0)
            {
                foreach (var (stage, reason) in failures)
                {
                    CommandRunner.Error($"{stage} failed: {reason}");
                }

                CommandRunner.Error($"{generationId} cannot complete. `./hd status -w {workspace}` shows the jobs; fix the cause, then `./hd demo --resume -w {workspace}`.");
                return ExitCodes.Failure;
            }

            var exitCode = Report(events, outcomes, await LatestGenerationAsync(host, cancellationToken).ConfigureAwait(false), workspace);
            var shown = Markup.Escape(workspace);
            AnsiConsole.MarkupLine($"next: [bold]./hd status -w {shown}[/] (the catalog), [bold]./hd serve -w {shown}[/] (the dashboard), [bold]./hd predict -w {shown} --model champion --input <crop.zarr> --output <out.zarr>[/]");
            return exitCode;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task<string> WaitForGenerationAsync(GenerationPlanner planner, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (planner.Read() is { PendingCropIds.Count: 0, Generations.Count: > 0 } state && state.Generations[^1].Published)
            {
                return state.Generations[^1].GenerationId;
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }

    private static Task<string> LatestGenerationAsync(IHost host, CancellationToken cancellationToken) =>
        WaitForGenerationAsync(host.Services.GetRequiredService<GenerationPlanner>(), cancellationToken);

    private static int Report(PipelineEvents events, IReadOnlyList<IngestOutcome> outcomes, string generationId, string workspace)
    {
        var added = outcomes.Count(o => o.Status == IngestOutcome.Added);
        var duplicates = outcomes.Count(o => o.Status == IngestOutcome.Duplicate);
        var heldOut = outcomes.Count(o => o.Split == "heldout");
        AnsiConsole.MarkupLine($"crops: {added} new, {duplicates} already stored, {heldOut} held out for evaluation");

        var evaluation = events.EvaluationOf(generationId);
        if (!evaluation.IsCompleted)
        {
            CommandRunner.Error($"{generationId} was not evaluated");
            return ExitCodes.Failure;
        }

        var result = evaluation.Result;
        var classes = result.Scores.SelectMany(s => s.PerClass.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var table = new Table().Title($"held-out scores, {generationId} ({result.HeldOutCropIds.Count} crops)")
            .AddColumn("model").AddColumn("role").AddColumn(new TableColumn("overall").RightAligned());
        foreach (var name in classes)
        {
            table.AddColumn(new TableColumn(name).RightAligned());
        }

        foreach (var score in result.Scores)
        {
            var isWinner = result.Winner is { } w && w.Variant == score.Variant && w.Role == score.Role;
            var cells = new List<string>
            {
                isWinner ? $"[green bold]{score.Variant} *[/]" : score.Variant,
                score.Role,
                score.Overall.ToString("F3", CultureInfo.InvariantCulture),
            };
            cells.AddRange(classes.Select(c => score.PerClass.TryGetValue(c, out var v) ? v.ToString("F3", CultureInfo.InvariantCulture) : "-"));
            table.AddRow(cells.ToArray());
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"decision: {Markup.Escape(result.Reason)}");
        if (!string.IsNullOrEmpty(result.ReportPath))
        {
            AnsiConsole.MarkupLine($"report: [blue]{Markup.Escape(Path.Combine(workspace, result.ReportPath))}[/]");
        }

        var outcome = events.OutcomeOf(generationId).Result;
        switch (outcome)
        {
            case ModelPromoted promoted:
                AnsiConsole.MarkupLine($"[green]promoted[/] {Markup.Escape(promoted.ModelName)} version [bold]{promoted.Version}[/] ({Markup.Escape(promoted.Variant)}, overall {promoted.Overall.ToString("F3", CultureInfo.InvariantCulture)}) -> {Markup.Escape(promoted.ModelUri)}");
                return ExitCodes.Success;
            case PromotionDeclined declined:
                AnsiConsole.MarkupLine($"[yellow]not promoted[/]: {Markup.Escape(declined.Reason)}");
                return ExitCodes.Success;
            default:
                return ExitCodes.Failure;
        }
    }
}
