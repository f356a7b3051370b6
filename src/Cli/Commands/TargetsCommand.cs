using System.CommandLine;
using System.Globalization;
using HotDistance.Core.Crops;
using HotDistance.Core.Targets;
using HotDistance.Core.Zarr;
using Spectre.Console;

namespace HotDistance.Cli.Commands;

/// <summary>
/// <c>hd targets &lt;dataset.zarr&gt; --out &lt;dir&gt;.zarr</c>: the Hot-Distance targets and weights the trainer would
/// learn from one crop, written as a Zarr group to look at in napari or neuroglancer.
/// </summary>
public static class TargetsCommand
{
    private static readonly string[] TargetArrays =
        [TargetsZarrWriter.OneHotArray, TargetsZarrWriter.DistanceArray, TargetsZarrWriter.OneHotWeightArray, TargetsZarrWriter.DistanceWeightArray];

    public static Command Create()
    {
        var dataset = new Argument<string>("dataset") { Description = "CellMap dataset folder (<dataset>.zarr) that holds the crop, or the crop group itself (<dataset>.zarr/recon-1/labels/groundtruth/crop3)" };
        var crop = new Option<string?>("--crop") { Description = "Crop to read, e.g. crop3. Default: the dataset's first crop" };
        var output = new Option<string>("--out")
        {
            Description = "Zarr group to write (e.g. crop3-targets.zarr): float32 arrays onehot, distance, onehot_weight, distance_weight, each (class, z, y, x)",
            Required = true,
        };
        var classes = new Option<string?>("--classes")
        {
            Description = "Comma-separated classes, one channel each, in this order (e.g. mito,er). Default: the pipeline's classes that the crop annotates, else every class it annotates",
        };
        var scale = new Option<double?>("--scale-nm") { Description = "Distance scale s (nm) in t = tanh(d / s). Default: the training setting (80)" };
        var exclusive = new Option<string?>("--exclusive")
        {
            Description = "Mutually exclusive class pairs, e.g. mito:er,nuc:mito ('none' for none): a voxel of one is a true negative of the other. Default: the pipeline's pairs (mito:er)",
        };
        var force = new Option<bool>("--force") { Description = "Replace the targets group an earlier hd targets wrote at --out (nothing else is ever replaced)" };
        var command = new Command("targets", CommandHelp.WithExamples("Write the one-hot and distance targets and their loss weights of one crop as a Zarr group, to inspect what training learns from it.", "hd targets /data/jrc_cell.zarr --crop crop3 --out crop3-targets.zarr"))
        {
            dataset, crop, output, classes, scale, exclusive, force,
        };
        command.SetAction((parse, _) => CommandRunner.RunAsync(() =>
        {
            var settings = GlobalOptions.Load(parse);
            var datasetPath = parse.GetValue(dataset)!;
            var outputPath = parse.GetValue(output)!;
            var replace = parse.GetValue(force);
            if (!replace && (Directory.Exists(outputPath) || File.Exists(outputPath)))
            {
                throw new ArgumentException($"--out {outputPath} already exists; pass --force to replace it, or choose another --out");
            }

            TargetsZarrWriter.CheckTarget(outputPath, replace);
            var targetSettings = new HotDistanceTargetSettings
            {
                ScaleNm = parse.GetValue(scale) ?? settings.Trainer.Training.DistanceScaleNm,
                MutualExclusions = ParseExclusions(parse.GetValue(exclusive), settings.Pipeline.MutuallyExclusive),
            };
            targetSettings.Validate();

            (datasetPath, var cropName) = DatasetCrop.Resolve(datasetPath, parse.GetValue(crop), "dataset");
            HotDistanceTargets? targets = null;
            Crop? read = null;
            AnsiConsole.Status().Start($"reading {Markup.Escape(cropName)}", status =>
            {
                read = CellMapCropReader.Read(datasetPath, cropName);
                var channels = CommaList.Parse(parse.GetValue(classes)) ?? DefaultClasses(read, settings.Pipeline.Classes);
                if (channels.Count == 0)
                {
                    throw new ArgumentException("--classes names no class; list them separated by commas, e.g. --classes mito,er");
                }

                status.Status($"building targets of {Markup.Escape(read.Name)} ({read.Shape} voxels, {channels.Count} classes)");
                targets = new HotDistanceTargetBuilder(targetSettings).Build(read, channels);
                status.Status($"writing {Markup.Escape(outputPath)}");
                TargetsZarrWriter.Write(outputPath, targets, targetSettings, new TargetsZarrOptions
                {
                    Overwrite = replace,
                    Source = read.Name,
                    OffsetNm = read.OffsetNm,
                });
            });

            Report(read!, targets!, outputPath);
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    /// <summary>The pipeline's classes that the crop annotates, in the pipeline's order; else every annotated class.</summary>
    public static IReadOnlyList<string> DefaultClasses(Crop crop, IReadOnlyList<string> pipelineClasses)
    {
        ArgumentNullException.ThrowIfNull(crop);
        ArgumentNullException.ThrowIfNull(pipelineClasses);
        var known = pipelineClasses.Where(crop.Annotates).ToList();
        return known.Count > 0 ? known : crop.Labels.Keys.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Parses "a:b,c:d"; "none" gives no pairs; null gives the pipeline's pairs.</summary>
    public static MutualExclusions ParseExclusions(string? text, IReadOnlyList<string[]> pipelinePairs)
    {
        ArgumentNullException.ThrowIfNull(pipelinePairs);
        if (text is null)
        {
            return new MutualExclusions(pipelinePairs.Select(pair => (pair[0], pair[1])));
        }

        if (CommaList.IsNone(text))
        {
            return MutualExclusions.None;
        }

        var pairs = new List<(string, string)>();
        foreach (var item in CommaList.Parse(text)!)
        {
            var parts = item.Split(':', StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                throw new ArgumentException($"--exclusive: '{item}' is not a pair; write pairs as first:second separated by commas, e.g. mito:er,nuc:mito (or 'none')");
            }

            pairs.Add((parts[0], parts[1]));
        }

        return new MutualExclusions(pairs);
    }

    private static void Report(Crop crop, HotDistanceTargets targets, string outputPath)
    {
        var table = new Table().Title($"targets of {Markup.Escape(crop.Name)} ({crop.Shape} voxels of {Markup.Escape(crop.VoxelSize.ToString())})")
            .AddColumn("class")
            .AddColumn("source")
            .AddColumn(new TableColumn("positive voxels").RightAligned())
            .AddColumn(new TableColumn("one-hot weighted").RightAligned())
            .AddColumn(new TableColumn("distance weighted").RightAligned());
        foreach (var summary in TargetClassSummary.Summarize(targets))
        {
            var source = TargetsZarrWriter.SourceName(summary.Source);
            table.AddRow(
                Markup.Escape(summary.ClassName),
                summary.Source == ClassTargetSource.NotAnnotated ? $"[yellow]{source}[/]" : source,
                Share(summary.PositiveVoxels, summary.Voxels),
                Share(summary.OneHotWeightedVoxels, summary.Voxels),
                Share(summary.DistanceWeightedVoxels, summary.Voxels));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"wrote [blue]{Markup.Escape(outputPath)}[/]: {string.Join(", ", TargetArrays)} as float32 (class, z, y, x)");
    }

    private static string Share(long count, long total) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} ({(total == 0 ? 0 : 100.0 * count / total):F1}%)");
}
