using System.CommandLine;
using System.Globalization;
using HotDistance.Cli.Predict;
using HotDistance.Core.Registry;
using HotDistance.Core.Volumes;
using HotDistance.Core.Workspace;
using HotDistance.Hosting;
using HotDistance.Learning.Checkpoints;
using HotDistance.Learning.Inference;
using HotDistance.Learning.Runtime;
using HotDistance.Core.IO;
using HotDistance.SiteAgent;
using HotDistance.SiteAgent.Blockwise;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace HotDistance.Cli.Commands;

/// <summary>
/// <c>hd predict --model champion --input &lt;zarr&gt; --output &lt;out.zarr&gt;</c>: segments a crop or raw volume
/// with a registered model (or a site's current one) and writes masks and instances as OME-Zarr.
/// </summary>
public static class PredictCommand
{
    public const string Champion = "champion";

    public static Command Create()
    {
        var model = new Option<string>("--model")
        {
            Description = $"Which model: {Champion} (the registry's champion, or the site's current model with --site) or a version number, e.g. 3",
            DefaultValueFactory = _ => Champion,
        };
        var input = new Option<string>("--input")
        {
            Description = "What to segment: a CellMap dataset (<dataset>.zarr; its crop's raw, see --crop) or crop group (<dataset>.zarr/recon-1/labels/groundtruth/crop3), an OME-Zarr raw group (the level at the model's voxel size, else s0), or a 3-D Zarr array (uint8, uint16 or float in [0, 1])",
            Required = true,
        };
        var output = new Option<string>("--output")
        {
            Description = "Where to write the segmentation (OME-Zarr multiscales s0, s1, ...): semantic/<class> masks (uint8) for every class, instances/<class> ids (uint32) for instance classes, neuroglancer.json; a folder holding this same job unfinished is continued",
            Required = true,
        };
        var site = new Option<string?>("--site")
        {
            Description = "Use this inference site's models (hd site --dir): its current model for champion, its copy of a version when it has one; otherwise the registry",
        };
        var crop = new Option<string?>("--crop") { Description = "Crop of a CellMap dataset input, e.g. crop3. Default: the dataset's first crop" };
        var voxelSize = new Option<string?>("--voxel-size")
        {
            Description = "Voxel size of the input in nm, 8 or z,y,x (e.g. 40,4,4), when it does not record one (default: the model's)",
        };
        var instanceClasses = new Option<string?>("--instance-classes")
        {
            Description = "Comma-separated classes split into instances, 'none' for none. Default: those the model was evaluated with (a promoted model stores them), else CellMap's list (nuc, ves, endo, lyso, ld, perox, mito, np, mt, cell)",
        };
        var device = new Option<string?>("--device")
        {
            Description = $"{ComputeDevices.Auto} (the GPU when there is one), {ComputeDevices.Cpu}, {ComputeDevices.Cuda} or {ComputeDevices.Cuda}:N. Default: the configuration's device (HD_DEVICE), else {ComputeDevices.Auto}",
        };
        var force = new Option<bool>("--force") { Description = "Replace --output when it exists (without it, an --output holding this same job in progress is continued, skipping its finished blocks)" };
        var roi = new Option<string?>("--roi") { Description = $"Segment only this region of the input: {RegionOfInterest.Syntax}, e.g. 0:64,0:512,0:512 or 0:4000,0:8000,0:8000nm" };
        var block = new Option<int>("--block")
        {
            Description = "Voxels per block edge: the volume is segmented one block (plus the network's context) at a time, so memory follows the block, not the volume. Rounded up to whole output chunks (64) and tiles",
            DefaultValueFactory = _ => new BlockwiseSettings().BlockEdge,
        };
        var tile = new Option<int>("--tile")
        {
            Description = "Voxels per tile edge the network predicts at once (plus its context); the network's working memory follows it. Default: the evaluation's, so hd predict equals it",
            DefaultValueFactory = _ => TilingOptions.Default.CoreSize[0],
        };
        var rawOutput = new Option<string>("--raw-output")
        {
            Description = "Also write the network's outputs, probabilities/<class> and distances/<class>: none, uint8 (probability x 255, distance (t + 1) x 127.5) or float16",
            DefaultValueFactory = _ => "none",
        };
        var distribute = new Option<bool>("--distribute")
        {
            Description = "Send one message per block to the predictors on the broker (hd run --roles predictor, with the output folder and the input mounted at the same paths), show their progress, and stitch when every block is done. Rerun to continue: only blocks not done are sent again",
        };
        var viewerUrl = new Option<string>("--viewer-url")
        {
            Description = "Where a web server (with CORS) serves the folder that holds --output, for the neuroglancer state printed at the end",
            DefaultValueFactory = _ => NeuroglancerState.DefaultBaseUrl,
        };
        var command = new Command("predict", CommandHelp.WithExamples("Segment a crop or a whole raw volume with the champion (or a given version), block by block with bounded memory, and write semantic and instance labels as multiscale OME-Zarr for napari and neuroglancer. Rerun the same command to continue an interrupted run.", "hd predict --model champion --input /data/jrc_cell.zarr --output pred.zarr", "hd predict --model 3 --site /data/site --input raw.zarr --output pred.zarr", "hd predict --input /data/jrc_cell.zarr/recon-1/em/fibsem-uint8 --roi 0:256,0:1024,0:1024 --raw-output uint8 --output pred.zarr", "hd predict --input /shared/raw.zarr/s0 --output /shared/pred.zarr --distribute --rabbitmq amqp://hd:secret@broker:5672/hotdistance"))
        {
            model, input, output, site, crop, voxelSize, instanceClasses, device, force, roi, block, tile, rawOutput, distribute, viewerUrl,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            var settings = GlobalOptions.Load(parse);
            var request = new Request(
                ParseModel(parse.GetValue(model)!),
                parse.GetValue(input)!,
                parse.GetValue(output)!,
                parse.GetValue(site),
                parse.GetValue(crop),
                ScoreCommand.ParseVoxelSize(parse.GetValue(voxelSize)),
                parse.GetValue(device) ?? settings.Device,
                parse.GetValue(force),
                parse.GetValue(roi) is { } roiText ? RegionOfInterest.Parse(roiText, "--roi") : null,
                new BlockwiseSettings
                {
                    BlockEdge = parse.GetValue(block),
                    Tiling = TilingOptions.Default with { CoreSize = [parse.GetValue(tile), parse.GetValue(tile), parse.GetValue(tile)] },
                    RawOutput = ParseRawOutput(parse.GetValue(rawOutput)!),
                },
                parse.GetValue(viewerUrl)!,
                parse.GetValue(distribute));
            var instanceText = parse.GetValue(instanceClasses);
            IReadOnlyList<string>? instances = CommaList.IsNone(instanceText) ? [] : CommaList.Parse(instanceText);
            request.Blockwise.Validate();
            if (Directory.Exists(request.Output) && !request.Force && SegmentationZarrWriter.OpenExisting(request.Output) is null)
            {
                throw new ArgumentException($"--output {request.Output} exists and is not a segmentation in progress; choose another folder or pass --force to replace it");
            }

            if (request.Distribute && settings.RabbitMqUri is null)
            {
                throw new ArgumentException("--distribute needs the pipeline's broker: give --rabbitmq or set HD_RABBITMQ (the predictors, hd run --roles predictor, take the blocks from it)");
            }

            if (request.Distribute)
            {
                await BrokerPreflight.EnsureReachableAsync(settings, cancellationToken).ConfigureAwait(false);
            }

            var scratch = Path.Combine(Path.GetTempPath(), "hd-predict-" + Guid.NewGuid().ToString("N"));
            try
            {
                LoadedModel loaded;
                string modelDirectory;
                try
                {
                    (loaded, modelDirectory) = await LoadAsync(request, settings, scratch, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is CheckpointException or InvalidDataException)
                {
                    CommandRunner.Error($"the model failed its checks and was not used: {exception.Message}");
                    return ExitCodes.Failure;
                }

                using (loaded)
                {
                    var model = new ModelInUse(loaded, modelDirectory, settings.Pipeline.ModelName);
                    return await RunAsync(request, model, instances?.ToHashSet(StringComparer.Ordinal), settings, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                if (Directory.Exists(scratch))
                {
                    Directory.Delete(scratch, recursive: true);
                }
            }
        }));
        return command;
    }

    private static async Task<int> RunAsync(Request request, ModelInUse model, IReadOnlySet<string>? instanceClasses, HostSettings settings, CancellationToken cancellationToken)
    {
        var (loaded, modelName) = (model.Loaded, model.Name);
        var metadata = loaded.Metadata;
        var modelVoxelSize = VoxelSize.FromArray(metadata.VoxelSizeNm);
        var input = PredictInput.Read(request.Input, request.Crop, request.VoxelSize, modelVoxelSize, (path, crop) => DatasetCrop.Resolve(path, crop, "--input"));
        var voxelSize = input.VoxelSize ?? modelVoxelSize;
        if (input.VoxelSize is null)
        {
            AnsiConsole.MarkupLine($"[grey]the input records no voxel size: taking the model's {Markup.Escape(modelVoxelSize.ToString())} (pass --voxel-size to set it)[/]");
        }
        else if (!PredictInput.SameVoxelSize(voxelSize, modelVoxelSize))
        {
            AnsiConsole.MarkupLine($"[yellow]warning[/]: the input's voxel size {Markup.Escape(voxelSize.ToString())} differs from the {Markup.Escape(modelVoxelSize.ToString())} the model was trained at; expect a poor segmentation (resample the input)");
        }

        if (request.Roi is { } roi)
        {
            input = input.Within(roi, voxelSize);
        }

        if (request.Distribute && input.ArrayPath is null)
        {
            throw new ArgumentException($"--distribute: --input {request.Input} is a crop, read into memory, which predictors cannot open; segment it without --distribute, or give its raw array (e.g. <dataset>.zarr/recon-1/em/fibsem-uint8/s0 with --roi)");
        }

        var version = loaded.Version is { } v ? "v" + v.ToString(CultureInfo.InvariantCulture) : "?";
        AnsiConsole.MarkupLine(metadata.PostProcessing is null
            ? "[grey]the model stores no post-processing (never promoted): default thresholds[/]"
            : "[grey]post-processing: the thresholds and instance classes stored with the model by its evaluation[/]");
        AnsiConsole.MarkupLine($"[grey]intensity: {Markup.Escape(metadata.Intensity.ToString())}, as the model was trained[/]");
        var segmenter = BlockwisePrediction.Open(
            loaded, input, voxelSize, request.Input, request.Crop, request.Output,
            loaded.InstanceClasses(instanceClasses, settings.Pipeline.InstanceClasses), request.Blockwise, modelName, request.Force, ComputeDevices.Select(request.Device));
        var job = segmenter.Job;
        var plan = segmenter.Plan;
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"segmenting [blue]{Markup.Escape(input.Description)}[/] ({input.Raw.Shape}) with {Markup.Escape(modelName)} {version} ({Markup.Escape(metadata.Variant)}, from {Markup.Escape(loaded.Source)}): {plan.Count} block(s) of {plan.Block}"));
        BlockwiseResult result;
        try
        {
            result = request.Distribute
                ? await DistributeAsync(segmenter, model.Directory, settings, cancellationToken).ConfigureAwait(false)
                : await ShowProgressAsync(segmenter.Plan.Count, progress => Task.Run(() => segmenter.Run(progress, cancellationToken), cancellationToken)).ConfigureAwait(false);
        }
        catch (BlocksFailedException failed)
        {
            foreach (var failure in failed.Failures)
            {
                CommandRunner.Error($"block {failure.Index} failed on {failure.Worker}: {failure.Reason}");
            }

            AnsiConsole.MarkupLine($"[red]{failed.Failures.Count} block(s) failed[/]; every other block is done. Fix the cause and run the same command again: it requests only the blocks not done.");
            return ExitCodes.Failure;
        }

        if (result.BlocksSkipped > 0)
        {
            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"[grey]continued: {result.BlocksSkipped} block(s) were already done, {result.BlocksComputed} computed now[/]"));
        }

        var table = new Table().AddColumn("class").AddColumn("kind")
            .AddColumn(new TableColumn("voxels inside").RightAligned()).AddColumn(new TableColumn("instances").RightAligned());
        foreach (var className in job.Classes)
        {
            var count = result.Instances.TryGetValue(className, out var instances) ? instances.ToString(CultureInfo.InvariantCulture) : "-";
            table.AddRow(Markup.Escape(className), result.Instances.ContainsKey(className) ? "instance" : "semantic", result.Inside[className].ToString(CultureInfo.InvariantCulture), count);
        }

        AnsiConsole.Write(table);
        var total = result.Predicting + result.Stitching + result.Pyramid;
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"[grey]time: blocks {result.Predicting.TotalSeconds:F1} s, stitching {result.Stitching.TotalSeconds:F1} s ({100 * result.Stitching.TotalSeconds / Math.Max(total.TotalSeconds, 1e-9):F0}%), pyramid {result.Pyramid.TotalSeconds:F1} s[/]"));
        var full = Path.GetFullPath(request.Output);
        AnsiConsole.MarkupLine($"wrote [blue]{Markup.Escape(full)}[/]: {SegmentationZarrWriter.SemanticGroup}/<class> and {SegmentationZarrWriter.InstancesGroup}/<class>, OME-NGFF 0.4 multiscales at {Markup.Escape(voxelSize.ToString())}");
        var state = NeuroglancerState.For(full, job, request.ViewerUrl);
        var stateFile = Path.Combine(full, "neuroglancer.json");
        AtomicFile.Write(stateFile, System.Text.Encoding.UTF8.GetBytes(state.ToJsonString(AtomicFile.Json)));
        AnsiConsole.MarkupLine($"neuroglancer state: [blue]{Markup.Escape(stateFile)}[/] (serve {Markup.Escape(Path.GetDirectoryName(full)!)} at {Markup.Escape(request.ViewerUrl)} with CORS, e.g. npx http-server --cors -p 8000)");
        AnsiConsole.WriteLine(NeuroglancerState.Link(state));
        return ExitCodes.Success;
    }

    /// <summary>
    /// Sends the blocks to the predictors on the broker and waits for them with the same progress bar (blocks done by
    /// any predictor, from the done records), then stitches. The job is listed in the workspace for hd status.
    /// </summary>
    private static async Task<BlockwiseResult> DistributeAsync(BlockwiseSegmenter segmenter, string modelDirectory, HostSettings settings, CancellationToken cancellationToken)
    {
        using var bus = PipelineHost.Build(settings, [], logging: l => l.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        await bus.StartAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var dispatcher = new BlockDispatcher(bus.Services.GetRequiredService<MassTransit.IBus>(), segmenter);
            dispatcher.ShareModel(modelDirectory);
            BlockwiseJobIndex.Record(settings.Pipeline.Workspace, segmenter.Output.Root, DateTimeOffset.UtcNow);
            AnsiConsole.MarkupLine($"[grey]sent to the predictors on {Markup.Escape(settings.RabbitMqUri!.Host)} (hd run --roles predictor); this command stitches once every block is done[/]");
            return await ShowProgressAsync(segmenter.Plan.Count, progress => dispatcher.RunAsync(progress, cancellationToken)).ConfigureAwait(false);
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Runs <paramref name="run"/> with a progress bar: blocks done/total, voxels per second and the ETA, then the stitching and pyramid passes.</summary>
    private static async Task<BlockwiseResult> ShowProgressAsync(int blocks, Func<IProgress<BlockwiseProgress>, Task<BlockwiseResult>> run)
    {
        var latest = new LatestProgress<BlockwiseProgress>();
        var work = run(latest);
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var bar = context.AddTask("blocks", maxValue: blocks);
                while (!work.IsCompleted)
                {
                    Show(bar, latest.Current);
                    await Task.WhenAny(work, Task.Delay(200, CancellationToken.None)).ConfigureAwait(false);
                }

                Show(bar, latest.Current);
                if (work.IsCompletedSuccessfully)
                {
                    bar.Value = bar.MaxValue;
                }
            }).ConfigureAwait(false);
        return await work.ConfigureAwait(false);
    }

    private static void Show(ProgressTask bar, BlockwiseProgress? progress)
    {
        if (progress is null)
        {
            return;
        }

        if (progress.Stage != "blocks")
        {
            bar.Description = string.Create(CultureInfo.InvariantCulture, $"{progress.Stage} {progress.Done}/{progress.Total}");
            return;
        }

        bar.MaxValue = progress.Total;
        bar.Value = progress.Done;
        var failed = progress.Failures is { Count: > 0 } failures
            ? $"  [red]{failures.Count} failed[/] (block {failures[0].Index}: {Markup.Escape(failures[0].Reason)})"
            : string.Empty;
        bar.Description = string.Create(
            CultureInfo.InvariantCulture,
            $"blocks {progress.Done}/{progress.Total}  {progress.VoxelsPerSecond / 1e6:F2} Mvoxels/s  ETA {(progress.Eta is { } eta ? ProgressText.Clock(eta) : "-")}{failed}");
    }

    private static RawOutputKind ParseRawOutput(string text) => text.Trim().ToLowerInvariant() switch
    {
        "none" => RawOutputKind.None,
        "uint8" => RawOutputKind.Scaled,
        "float16" => RawOutputKind.HalfPrecision,
        _ => throw new ArgumentException($"--raw-output '{text}' is not none, uint8 or float16"),
    };

    /// <summary>The model, and the directory its files are in (a site's copy, or <paramref name="scratch"/> when downloaded), until the command ends.</summary>
    private static async Task<(LoadedModel Model, string Directory)> LoadAsync(Request request, HostSettings settings, string scratch, CancellationToken cancellationToken)
    {
        var modelName = settings.Pipeline.ModelName;
        IModelRegistry Registry() => ModelRegistries.Create(settings, new WorkspaceLayout(settings.Pipeline.Workspace));
        if (request.Site is { } folder)
        {
            if (!Directory.Exists(folder))
            {
                throw new DirectoryNotFoundException($"--site {folder} does not exist; start a site with hd site --dir {folder}");
            }

            var layout = new SiteLayout(folder);
            if (request.Version is null)
            {
                var current = layout.ReadCurrent()
                    ?? throw new ArgumentException($"--site {folder} has no model yet (no {SiteLayout.PointerFile}); run hd site --dir {folder} --once to fetch the champion");
                return (LoadedModel.FromSite(layout), layout.ModelDirectory(current.Version));
            }

            var kept = layout.ModelDirectory(request.Version.Value);
            if (Directory.Exists(kept))
            {
                // The site's copy must be the registry's version, not merely agree with its own checkpoint.json:
                // editing model.pt and checkpoint.json together would pass that check.
                var recorded = await VersionAsync(Registry(), modelName, request.Version.Value, cancellationToken).ConfigureAwait(false);
                return (LoadedModel.FromDirectory(kept, request.Version, recorded.Sha256), kept);
            }

            AnsiConsole.MarkupLine($"[grey]--site {Markup.Escape(folder)} does not keep v{request.Version}; fetching it from the registry[/]");
        }

        var registry = Registry();
        var version = request.Version is { } number
            ? await VersionAsync(registry, modelName, number, cancellationToken).ConfigureAwait(false)
            : await registry.GetByAliasAsync(modelName, RegistryAliases.Champion, cancellationToken).ConfigureAwait(false)
                ?? throw new ArgumentException($"model '{modelName}' has no champion yet in the registry of {settings.Pipeline.Workspace}; run the pipeline (hd demo, hd run) or pass --workspace");

        await registry.DownloadAsync(modelName, version.Version, scratch, cancellationToken).ConfigureAwait(false);
        return (LoadedModel.FromDirectory(scratch, version.Version, version.Sha256, $"the {settings.Registry} registry"), scratch);
    }

    private static async Task<ModelVersion> VersionAsync(IModelRegistry registry, string modelName, int number, CancellationToken cancellationToken)
    {
        var versions = await registry.ListVersionsAsync(modelName, cancellationToken).ConfigureAwait(false);
        return versions.FirstOrDefault(v => v.Version == number)
            ?? throw new ArgumentException($"--model {number}: model '{modelName}' has no version {number}; its versions: {(versions.Count == 0 ? "none" : string.Join(", ", versions.Select(v => v.Version)))}");
    }

    private static int? ParseModel(string text)
    {
        if (string.Equals(text, Champion, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var digits = text.StartsWith('v') ? text[1..] : text;
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0
            ? version
            : throw new ArgumentException($"--model '{text}' is neither {Champion} nor a version number (e.g. 3)");
    }

    private sealed record Request(
        int? Version,
        string Input,
        string Output,
        string? Site,
        string? Crop,
        VoxelSize? VoxelSize,
        string? Device,
        bool Force,
        RegionOfInterest? Roi,
        BlockwiseSettings Blockwise,
        string ViewerUrl,
        bool Distribute);

    /// <summary>The model a prediction uses, the directory its files are in (copied beside a distributed job) and its registry name.</summary>
    private sealed record ModelInUse(LoadedModel Loaded, string Directory, string Name);
}
