using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using HotDistance.Core.Crops;
using HotDistance.Core.IO;
using HotDistance.Core.Metrics;
using HotDistance.Core.Volumes;
using HotDistance.Core.Zarr;
using Spectre.Console;

namespace HotDistance.Cli.Commands;

/// <summary>
/// <c>hd score --truth &lt;zarr&gt; --pred &lt;zarr&gt;</c>: scores a segmentation against ground truth with the CellMap
/// challenge metrics, the way the evaluator scores models.
/// </summary>
public static class ScoreCommand
{
    public static Command Create()
    {
        var truth = new Option<string>("--truth")
        {
            Description = "Ground truth: a CellMap dataset (<dataset>.zarr, with --crop) or crop group (<dataset>.zarr/recon-1/labels/groundtruth/crop3), or a Zarr group with one array per class (0 absent, 1 present, 255 unknown; or instance ids)",
            Required = true,
        };
        var prediction = new Option<string>("--pred")
        {
            Description = "Prediction: a Zarr group with one array per class, named after the class, on the truth crop's grid (uint8 masks, or integer instance ids with 0 background)",
            Required = true,
        };
        var crop = new Option<string?>("--crop") { Description = "Crop of a CellMap dataset truth, e.g. crop3. Default: the dataset's first crop" };
        var json = new Option<string?>("--json") { Description = "Also write the scores to this JSON file" };
        var instanceClasses = new Option<string?>("--instance-classes")
        {
            Description = "Comma-separated classes scored as instances (F1 and Hausdorff distance), 'none' for none. Default: CellMap's list (nuc, ves, endo, lyso, ld, perox, mito, np, mt, cell)",
        };
        var classes = new Option<string?>("--classes") { Description = "Comma-separated classes to score. Default: every class of the truth" };
        var voxelSize = new Option<string?>("--voxel-size")
        {
            Description = "Voxel size in nm, 8 or z,y,x (e.g. 40,4,4), for a truth group that does not record it (instance classes need it for Hausdorff distances)",
        };
        var command = new Command("score", CommandHelp.WithExamples("Score a segmentation against ground truth with the CellMap challenge metrics (IoU, Dice, instance F1, Hausdorff, overall).", "hd score --truth /data/jrc_cell.zarr --crop crop3 --pred pred.zarr --json scores.json"))
        {
            truth, prediction, crop, json, instanceClasses, classes, voxelSize,
        };
        command.SetAction((parse, _) => CommandRunner.RunAsync(() =>
        {
            var settings = GlobalOptions.Load(parse);
            var truthPath = parse.GetValue(truth)!;
            var predictionPath = parse.GetValue(prediction)!;
            var instanceText = parse.GetValue(instanceClasses);
            IReadOnlyList<string> instanceNames = CommaList.IsNone(instanceText) ? [] : CommaList.Parse(instanceText) ?? settings.Pipeline.InstanceClasses;
            var options = new ScoringOptions { InstanceClasses = instanceNames.ToHashSet(StringComparer.Ordinal) };

            var loaded = LoadTruth(truthPath, parse.GetValue(crop), ParseVoxelSize(parse.GetValue(voxelSize)));
            var scored = ChooseClasses(loaded, CommaList.Parse(parse.GetValue(classes)));
            var needsVoxelSize = scored.Where(options.InstanceClasses.Contains).ToList();
            if (loaded.VoxelSize is null && needsVoxelSize.Count > 0)
            {
                throw new ArgumentException(
                    $"--truth {truthPath}: the voxel size is not recorded (no OME-NGFF multiscales on the class groups, no {LabelGroupReader.VoxelSizeAttribute} in its {ZarrGroup.AttributesFileName}) " +
                    $"and the instance classes {string.Join(", ", needsVoxelSize)} need it for Hausdorff distances; pass --voxel-size 8 or --voxel-size 40,4,4 (nm, z,y,x)");
            }

            var predictions = PredictionGroupReader.Read(predictionPath, scored, loaded.Shape, loaded.Description, loaded.VoxelSize, loaded.OffsetNm);
            var scorer = new SegmentationScorer(options);
            foreach (var className in scored)
            {
                scorer.Add(loaded.Name, loaded.VoxelSize ?? default, loaded.Labels[className], predictions[className]);
            }

            var report = scorer.CreateReport();
            Print(report, loaded, predictionPath, scored);
            if (parse.GetValue(json) is { } jsonPath)
            {
                WriteJson(jsonPath, report, loaded, truthPath, predictionPath);
                AnsiConsole.MarkupLine($"wrote [blue]{Markup.Escape(jsonPath)}[/]");
            }

            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    /// <summary>Reads the truth: a crop of a CellMap dataset, or a group of per-class arrays.</summary>
    private static Truth LoadTruth(string truthPath, string? cropName, VoxelSize? givenVoxelSize)
    {
        if (Directory.Exists(CellMapLayout.GroundTruthPath(CellMapLayout.SplitCropPath(truthPath).Dataset)))
        {
            (truthPath, var chosen) = DatasetCrop.Resolve(truthPath, cropName, "--truth");
            var read = CellMapCropReader.Read(truthPath, chosen);
            RequireSameVoxelSize(givenVoxelSize, read.VoxelSize, truthPath);
            return new Truth(read.Name, chosen, CellMapLayout.CropPath(truthPath, chosen), read.Shape, read.VoxelSize, read.Labels) { OffsetNm = read.OffsetNm };
        }

        if (!Directory.Exists(truthPath))
        {
            throw new DirectoryNotFoundException($"--truth {truthPath} does not exist; point at a CellMap dataset (<dataset>.zarr) or a Zarr group of per-class arrays");
        }

        if (cropName is not null)
        {
            throw new ArgumentException(
                $"--crop {cropName}: --truth {truthPath} is not a CellMap dataset (no {Path.Combine(CellMapLayout.ReconstructionGroup, "labels", "groundtruth")}), so it has no crops; " +
                "leave out --crop to score its per-class arrays, or point --truth at the dataset");
        }

        var group = LabelGroupReader.Read(truthPath);
        RequireSameVoxelSize(givenVoxelSize, group.VoxelSize, truthPath);
        return new Truth(Path.GetFileName(Path.TrimEndingDirectorySeparator(truthPath)), null, truthPath, group.Shape, group.VoxelSize ?? givenVoxelSize, group.Labels);
    }

    private static void RequireSameVoxelSize(VoxelSize? given, VoxelSize? recorded, string truthPath)
    {
        if (given is { } g && recorded is { } r && (Math.Abs(g.Z - r.Z) > 1e-6 * r.Z || Math.Abs(g.Y - r.Y) > 1e-6 * r.Y || Math.Abs(g.X - r.X) > 1e-6 * r.X))
        {
            throw new ArgumentException($"--voxel-size {g} differs from the {r} that --truth {truthPath} records; leave out --voxel-size (the truth's own is used)");
        }
    }

    private static List<string> ChooseClasses(Truth truth, IReadOnlyList<string>? requested)
    {
        var available = truth.Labels.Keys.Order(StringComparer.Ordinal).ToList();
        if (requested is null)
        {
            return available;
        }

        if (requested.Count == 0)
        {
            throw new ArgumentException("--classes names no class; list them separated by commas, e.g. --classes mito,er");
        }

        foreach (var name in requested)
        {
            if (!truth.Labels.ContainsKey(name))
            {
                throw new ArgumentException($"--classes: class '{name}' is not annotated in the truth ({truth.Description}); it annotates {string.Join(", ", available)}");
            }
        }

        return requested.Distinct(StringComparer.Ordinal).ToList();
    }

    public static VoxelSize? ParseVoxelSize(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
            {
                values = [];
                break;
            }
        }

        VoxelSize? voxel = values.Length switch
        {
            1 => VoxelSize.Isotropic(values[0]),
            3 => VoxelSize.FromArray(values),
            _ => null,
        };
        return voxel is { IsValid: true }
            ? voxel
            : throw new ArgumentException($"--voxel-size '{text}' is not a voxel size; give one positive number of nm (8) or three for z,y,x (40,4,4)");
    }

    private static void Print(ScoreReport report, Truth truth, string predictionPath, IReadOnlyList<string> scored)
    {
        var table = new Table().Title($"{Markup.Escape(predictionPath)} against {Markup.Escape(truth.Description)}")
            .AddColumn(new TableColumn("class").NoWrap())
            .AddColumn(new TableColumn("kind").NoWrap());
        foreach (var header in new[] { "IoU", "Dice", "precision", "recall", "F1", "HD nm", "combined" })
        {
            table.AddColumn(new TableColumn(header).RightAligned());
        }

        foreach (var score in report.Classes)
        {
            table.AddRow(
                Markup.Escape(score.ClassName),
                score.Kind == ClassKind.Instance ? "instance" : "semantic",
                Number(score.IoU),
                Number(score.Dice),
                Number(score.Precision),
                Number(score.Recall),
                Number(score.F1),
                Number(score.MeanHausdorffNm, "F1"),
                Number(score.Combined));
        }

        AnsiConsole.Write(table);
        var parts = new List<string>();
        if (report.SemanticScore is { } semantic)
        {
            parts.Add($"mean semantic IoU {Number(semantic)}");
        }

        if (report.InstanceScore is { } instance)
        {
            parts.Add($"mean instance combined {Number(instance)}");
        }

        AnsiConsole.MarkupLine($"overall [bold]{Number(report.Overall)}[/] ({string.Join(", ", parts)})");
        AnsiConsole.MarkupLine("[grey]HD nm: mean Hausdorff distance of matched instances; combined: sqrt(F1 x mean normalised Hausdorff)[/]");
        var unscored = PredictionGroupReader.ListClasses(predictionPath).Where(c => !scored.Contains(c, StringComparer.Ordinal)).ToList();
        if (unscored.Count > 0)
        {
            AnsiConsole.MarkupLine($"[grey]not scored (not in the truth or not asked for): {Markup.Escape(string.Join(", ", unscored))}[/]");
        }
    }

    private static void WriteJson(string jsonPath, ScoreReport report, Truth truth, string truthPath, string predictionPath)
    {
        var document = new JsonObject
        {
            ["truth"] = Path.GetFullPath(truthPath),
            ["crop"] = truth.CropName,
            ["prediction"] = Path.GetFullPath(predictionPath),
            ["voxel_size_nm"] = truth.VoxelSize is { } voxel ? new JsonArray(voxel.Z, voxel.Y, voxel.X) : null,
        };
        foreach (var (key, value) in ScoreReportJson.ToJson(report).ToList())
        {
            document[key] = value?.DeepClone();
        }

        AtomicFile.Write(jsonPath, Encoding.UTF8.GetBytes(document.ToJsonString(AtomicFile.Json)));
    }

    private static string Number(double? value, string format = "F3") =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    /// <summary>The truth to score against: its name for the scorer, where it lives (for messages) and its labels.</summary>
    private sealed record Truth(string Name, string? CropName, string Description, Shape3 Shape, VoxelSize? VoxelSize, IReadOnlyDictionary<string, ClassLabels> Labels)
    {
        /// <summary>Where the truth's voxel (0, 0, 0) sits in nm, when known (a CellMap crop).</summary>
        public IReadOnlyList<double>? OffsetNm { get; init; }
    }
}
