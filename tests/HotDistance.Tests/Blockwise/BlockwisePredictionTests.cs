using System.Text.Json.Nodes;
using HotDistance.Contracts;
using HotDistance.Core.PostProcessing;
using HotDistance.Core.Volumes;
using HotDistance.Core.Zarr;
using HotDistance.Learning.Checkpoints;
using HotDistance.Learning.Inference;
using HotDistance.Learning.Training;
using HotDistance.SiteAgent;
using HotDistance.SiteAgent.Blockwise;
using HotDistance.Tests.Learning;
using HotDistance.Tests.Zarr;
using static TorchSharp.torch;

namespace HotDistance.Tests.Blockwise;

/// <summary>
/// A volume segmented block by block, read chunk by chunk from a Zarr array written by zarr-python, equals one
/// whole-volume pass voxel for voxel, and an interrupted job continues to the same bytes.
/// </summary>
[Collection(LearningRunsDefinition.Name)]
public class BlockwisePredictionTests
{
    /// <summary>Not a multiple of the blocks (16 x 16 x 32: tiles of 16, batches of two along X) along any axis, so the last blocks are cut.</summary>
    private static readonly Shape3 Volume = new(37, 45, 41);

    private static readonly TilingOptions Tiling = new() { CoreSize = [16, 16, 16], BatchSize = 2 };

    private static readonly BlockwiseSettings Settings = new() { BlockEdge = 16, ChunkEdge = 8, Tiling = Tiling, RawOutput = RawOutputKind.HalfPrecision };

    [Theory]
    [InlineData(Variants.OneHot)]
    [InlineData(Variants.HotDistance)]
    public async Task Blockwise_output_equals_the_whole_volume_prediction_voxel_for_voxel(string variant)
    {
        using var temp = new TempDirectory();
        var (model, _, raw) = await ModelAndInputAsync(temp, variant);
        using (model)
        {
            var input = RawSource.FromArray(ZarrArray.Open(raw.Path));
            var output = temp.Combine("out.zarr");

            var segmenter = Open(model, input, output, force: false);
            var result = segmenter.Run();

            Assert.Equal(18, segmenter.Plan.Count);
            Assert.Equal(18, result.BlocksComputed);
            var whole = model.Segment(raw.Volume, raw.Maximum, new HashSet<string> { "mito" }, [], CPU, Tiling);
            var outputs = CropPredictor.Predict(model.Model, model.Metadata.Intensity.Apply(raw.Volume, raw.Maximum), model.Metadata.Classes, CPU, Tiling);
            for (var c = 0; c < model.Metadata.Classes.Count; c++)
            {
                var className = model.Metadata.Classes[c];
                var mask = ReadLevel0<byte>(output, SegmentationZarrWriter.SemanticGroup, className);
                Assert.Equal(whole.Classes[className].Mask.Data, mask);
                Assert.Contains(mask, v => v == 0);
                Assert.Contains(mask, v => v == 1);
                var (group, expected) = outputs.OneHotProbabilities is { } p ? (SegmentationZarrWriter.ProbabilitiesGroup, p[c]) : (SegmentationZarrWriter.DistancesGroup, outputs.Distances![c]);
                Assert.Equal(Array.ConvertAll(expected.Data, v => (Half)v), ReadLevel0<Half>(output, group, className));
            }

            var ids = ReadLevel0<uint>(output, SegmentationZarrWriter.InstancesGroup, "mito");
            var expectedIds = whole.Classes["mito"].Instances!.Data;
            if (variant == Variants.OneHot)
            {
                // Connected components: the same objects, whatever the blocks.
                SamePartition.Assert(expectedIds, ids, minimumInstances: 2);
            }
            else
            {
                // A watershed labels the same voxels; where touching instances meet, the boundary may follow block faces.
                Assert.Equal(expectedIds.Select(i => i != 0), ids.Select(i => i != 0));
            }

            Assert.Equal(result.Instances["mito"], ids.Where(i => i != 0).Distinct().Count());
            Assert.False(Directory.Exists(segmenter.Output.Provisional("mito")));
            AssertPyramid(output);
        }
    }

    [Fact]
    public async Task An_interrupted_job_continues_where_it_stopped_and_writes_the_same_bytes_as_one_run()
    {
        using var temp = new TempDirectory();
        var (model, _, raw) = await ModelAndInputAsync(temp, Variants.OneHot);
        using (model)
        {
            var input = RawSource.FromArray(ZarrArray.Open(raw.Path));
            Open(model, input, temp.Combine("clean.zarr"), force: false).Run();

            // A run that did ten blocks, then died while writing the eleventh: a chunk of it half written, no record.
            var interrupted = temp.Combine("interrupted.zarr");
            var first = Open(model, input, interrupted, force: false);
            for (var b = 0; b < 10; b++)
            {
                first.ProcessBlock(b);
            }

            var torn = first.Plan[10];
            ZarrArray.Open(SegmentationZarrWriter.Level0(interrupted, SegmentationZarrWriter.SemanticGroup, "mito"))
                .WriteRegion<byte>([torn.Start[0], torn.Start[1], torn.Start[2]], [8, 8, 8], Enumerable.Repeat((byte)7, 512).ToArray());

            var resumed = Open(model, input, interrupted, force: false).Run();

            Assert.Equal(10, resumed.BlocksSkipped);
            Assert.Equal(8, resumed.BlocksComputed);
            AssertSameArrays(temp.Combine("clean.zarr"), interrupted);

            // Another job (other blocks) in the same output is refused unless forced.
            var other = BlockwiseSegmenter.PlanJob(model, input, "raw", [0, 0, 0], VoxelSize.Isotropic(8), [0, 0, 0], new HashSet<string> { "mito" }, Settings with { BlockEdge = 32 });
            var refused = Assert.Throws<ArgumentException>(() => BlockwiseSegmenter.Open(model, input, interrupted, other, new JsonObject(), force: false, CPU));
            Assert.Contains("block shape", refused.Message, StringComparison.Ordinal);

            // A done record sizes the stitcher's tables: one claiming more ids than its block has voxels is refused, named.
            var record = first.Output.ReadDone(0)!;
            first.Output.MarkDone(record with { Instances = new Dictionary<string, BlockLabelCount> { ["mito"] = new(int.MaxValue - 2, 0) } });
            var tampered = Assert.Throws<InvalidDataException>(() => first.Finish());
            Assert.Contains(first.Output.DonePath(0), tampered.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>Opens this class's 18-block job of <paramref name="input"/> (read from <paramref name="inputArray"/>, when given, by predictors).</summary>
    internal static BlockwiseSegmenter Open(LoadedModel model, RawSource input, string output, bool force, string? inputArray = null)
    {
        var job = BlockwiseSegmenter.PlanJob(model, input, "raw", [0, 0, 0], VoxelSize.Isotropic(8), [0, 0, 0], new HashSet<string> { "mito" }, Settings) with { InputArray = inputArray };
        return BlockwiseSegmenter.Open(model, input, output, job, new JsonObject { ["model"] = "test" }, force, CPU);
    }

    /// <summary>
    /// A tiny trained model whose mito threshold is the median of its own whole-volume output (so masks are neither
    /// empty nor full), and the synthetic raw written by zarr-python as uint8 in 10^3 chunks (not the block grid).
    /// </summary>
    /// <returns>The model loaded, its checkpoint directory (thresholds attached) and the raw input.</returns>
    internal static async Task<(LoadedModel Model, string Checkpoint, (string Path, Volume<float> Volume, double Maximum) Raw)> ModelAndInputAsync(TempDirectory temp, string variant)
    {
        var trained = await new VariantTrainer(TinyTraining.Settings(steps: 2)).RunAsync(TinyTraining.Job(temp.Combine("job"), variant), null, CancellationToken.None);
        var (path, volume) = await ZarrPythonRaw.WriteAsync(temp, Volume, seed: 5);

        using (var untuned = LoadedModel.FromDirectory(trained.CheckpointDirectory, null, null))
        {
            Checkpoint.AttachPostProcessing(trained.CheckpointDirectory, MedianThresholds(untuned, volume, Tiling));
        }

        return (LoadedModel.FromDirectory(trained.CheckpointDirectory, null, null), trained.CheckpointDirectory, (path, volume, 255));
    }

    /// <summary>
    /// Thresholds that cut <paramref name="model"/>'s own output on <paramref name="volume"/> near its median (a higher
    /// quantile for one-hot, whose instances are components of the mask), so masks are neither empty nor full and
    /// several instances stand apart, with mito as the instance class.
    /// </summary>
    internal static ModelPostProcessing MedianThresholds(LoadedModel model, Volume<float> volume, TilingOptions tiling)
    {
        var prediction = CropPredictor.Predict(model.Model, model.Metadata.Intensity.Apply(volume, 255), model.Metadata.Classes, CPU, tiling);
        var classes = model.Metadata.Classes;
        var thresholds = new Dictionary<string, ClassThresholds>();
        for (var c = 0; c < classes.Count; c++)
        {
            var values = (prediction.OneHotProbabilities ?? prediction.Distances!)[c].Data.Order().ToArray();
            var median = values[values.Length * (prediction.Distances is null ? 85 : 50) / 100];
            var seed = prediction.Distances is { } d ? d[c].Data.Order().ElementAt(values.Length * 9 / 10) : 0.5f;
            thresholds[classes[c]] = new ClassThresholds(median, prediction.OneHotProbabilities is null ? median : 0, seed, Tuned: true, ValidationScore: 0.5);
        }

        return new ModelPostProcessing(thresholds, InstanceClasses: ["mito"]);
    }

    private static T[] ReadLevel0<T>(string output, string group, string className)
        where T : unmanaged, System.Numerics.INumberBase<T> =>
        ZarrArray.Open(SegmentationZarrWriter.Level0(output, group, className)).Read<T>();

    /// <summary>
    /// s1.. down to one chunk, each voxel of s1 a value of its 2x2x2 cell in s0 held by at least as many voxels as
    /// any other (the mode: labels are never averaged into ids that do not exist); zarr-python reads the levels.
    /// </summary>
    private static void AssertPyramid(string output)
    {
        var group = Path.Combine(output, SegmentationZarrWriter.InstancesGroup, "mito");
        var levels = OmeNgff.ReadMultiscale(group).Levels;
        Assert.Equal(["s0", "s1", "s2", "s3"], levels.Select(l => l.Path));
        Assert.Equal([16.0, 16, 16], levels[1].ScaleNm);
        Assert.Equal([4.0, 4, 4], levels[1].TranslationNm);
        var s0 = ZarrArray.Open(Path.Combine(group, "s0")).Read3D<uint>();
        var s1 = ZarrArray.Open(Path.Combine(group, "s1")).Read3D<uint>();
        Assert.Equal(new Shape3(19, 23, 21), s1.Shape);
        for (var z = 0; z < s1.Shape.Z; z++)
        {
            for (var y = 0; y < s1.Shape.Y; y++)
            {
                for (var x = 0; x < s1.Shape.X; x++)
                {
                    var cell = new List<uint>();
                    for (var d = 0; d < 8; d++)
                    {
                        var (fz, fy, fx) = ((2 * z) + (d >> 2), (2 * y) + ((d >> 1) & 1), (2 * x) + (d & 1));
                        if (s0.Shape.Contains(fz, fy, fx))
                        {
                            cell.Add(s0[fz, fy, fx]);
                        }
                    }

                    var counts = cell.GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());
                    Assert.Equal(counts.Values.Max(), counts.GetValueOrDefault(s1[z, y, x]));
                }
            }
        }

        var shapes = ZarrPython.Run(
            "import sys, zarr; g = zarr.open_group(sys.argv[1], mode='r'); print([list(g[d['path']].shape) for d in g.attrs['multiscales'][0]['datasets']])",
            group);
        Assert.Contains("[[37, 45, 41], [19, 23, 21], [10, 12, 11], [5, 6, 6]]", shapes, StringComparison.Ordinal);
    }

    /// <summary>
    /// Every array file (chunks and metadata) byte for byte, at least <paramref name="minimumFiles"/> of them; the job's
    /// own records, the root's provenance (its time) and the viewer state (which names the folder) are left out.
    /// </summary>
    internal static void AssertSameArrays(string expected, string actual, int minimumFiles = 100)
    {
        static IEnumerable<string> Files(string root) => Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f))
            .Where(f => !f.StartsWith(SegmentationZarrWriter.StateFolder, StringComparison.Ordinal) && f is not ".zattrs" and not "neuroglancer.json")
            .Order(StringComparer.Ordinal);
        var files = Files(expected).ToList();
        Assert.Equal(files, Files(actual));
        Assert.True(files.Count > minimumFiles, $"{files.Count} files");
        foreach (var file in files)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(expected, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actual, file))), $"{file} differs");
        }
    }
}
