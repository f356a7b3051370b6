using System.Diagnostics;
using System.Text.Json.Nodes;
using HotDistance.Core.Blockwise;
using HotDistance.Core.PostProcessing;
using HotDistance.Core.Volumes;
using HotDistance.Core.Zarr;
using HotDistance.Learning.Inference;
using static TorchSharp.torch;

namespace HotDistance.SiteAgent.Blockwise;

/// <summary>
/// Segments a volume of any size block by block with bounded memory. The output is cut into blocks of whole
/// chunks and whole tiles (<see cref="BlockPlan"/>); each block reads its input plus the network's receptive
/// context (exactly the windows of its tiles in the whole volume's <see cref="TilePlan"/>, so every predicted
/// value equals a whole-volume pass), predicts, post-processes with the model's stored thresholds, writes its
/// chunks and then its done record. Peak memory is one block's input, outputs and tile batch, whatever the volume.
/// When every block is done, <see cref="Finish"/> stitches instances across block faces
/// (<see cref="BlockInstanceStitcher"/>), relabels the blocks and builds the pyramid.
/// <para>
/// A block is the unit of work and its index its key: <see cref="ProcessBlock"/> does one block and records it,
/// so a process that stops loses at most the block in progress, a rerun skips what is done, and several processes
/// given the same job (a later RabbitMQ predictor role, one message per block index) can share the blocks.
/// </para>
/// </summary>
public sealed class BlockwiseSegmenter
{
    private readonly LoadedModel _model;
    private readonly RawSource _input;
    private readonly BlockwiseJob _job;
    private readonly TilePlan _tiles;
    private readonly Device? _device;

    private BlockwiseSegmenter(LoadedModel model, RawSource input, SegmentationZarrWriter output, BlockwiseJob job, Device? device)
    {
        _model = model;
        _input = input;
        Output = output;
        _job = job;
        _device = device;
        _tiles = TilePlan.For(Shape3.FromArray(job.Volume), model.Model.Architecture, new TilingOptions { CoreSize = job.TileCore, BatchSize = job.TileBatch });
        Plan = job.Plan();
    }

    public SegmentationZarrWriter Output { get; }

    public BlockPlan Plan { get; }

    public BlockwiseJob Job => _job;

    /// <summary>
    /// The job <paramref name="model"/> would do on <paramref name="input"/>: block and chunk shapes (blocks are
    /// whole chunks and whole tile cores, whole tile batches along X, so no two blocks share a chunk or a tile).
    /// </summary>
    public static BlockwiseJob PlanJob(
        LoadedModel model,
        RawSource input,
        string inputDescription,
        int[] regionStart,
        VoxelSize voxelSize,
        IReadOnlyList<double> offsetNm,
        IReadOnlySet<string> instanceClasses,
        BlockwiseSettings settings)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(instanceClasses);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var volume = input.Shape;
        var tiles = TilePlan.For(volume, model.Model.Architecture, settings.Tiling);
        var chunk = new int[3];
        var block = new int[3];
        for (var axis = 0; axis < 3; axis++)
        {
            chunk[axis] = Math.Min(settings.ChunkEdge, volume[axis]);
            // Along X a block holds whole tile batches, so its batches are the whole-volume pass's (CropPredictor).
            var unit = LeastCommonMultiple(chunk[axis], tiles.Core[axis] * (axis == 2 ? settings.Tiling.BatchSize : 1));
            var edge = (long)(settings.BlockEdge + unit - 1) / unit * unit;
            block[axis] = (int)Math.Min(edge, volume[axis]);
        }

        return new BlockwiseJob
        {
            Input = inputDescription,
            RegionStart = regionStart,
            Volume = volume.ToArray(),
            Block = block,
            Chunk = chunk,
            TileCore = tiles.Core,
            TileBatch = settings.Tiling.BatchSize,
            ModelSha256 = model.Metadata.ModelSha256,
            Variant = model.Metadata.Variant,
            ModelSettings = BlockwiseJob.ModelSettingsOf(model.Metadata),
            Classes = model.Metadata.Classes,
            InstanceClasses = [.. model.Metadata.Classes.Where(instanceClasses.Contains)],
            VoxelSizeNm = voxelSize.ToArray(),
            OffsetNm = [.. offsetNm],
            RawOutput = settings.RawOutput,
        };
    }

    /// <summary>
    /// Opens <paramref name="output"/> for <paramref name="job"/>: continues it when it holds the same job,
    /// creates it when it does not exist (or <paramref name="force"/> replaces it), and refuses anything else.
    /// The intensity window is found here, once, over the whole input (a percentile window needs every voxel).
    /// </summary>
    public static BlockwiseSegmenter Open(LoadedModel model, RawSource input, string output, BlockwiseJob job, JsonObject provenance, bool force, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(job);
        if (SegmentationZarrWriter.OpenExisting(output) is { } existing && !force)
        {
            var recorded = existing.ReadJob();
            var difference = recorded.Difference(job);
            return difference is null
                ? new BlockwiseSegmenter(model, input, existing, recorded, device)
                : throw new ArgumentException($"--output {output} holds a segmentation of another job (its {difference} differs); choose another --output, or pass --force to start it over");
        }

        if (Directory.Exists(output))
        {
            if (!force)
            {
                throw new ArgumentException($"--output {output} exists and is not a segmentation in progress; choose another folder or pass --force to replace it");
            }

            Directory.Delete(output, recursive: true);
        }

        var normalisation = model.Metadata.Intensity;
        var plan = new BlockPlan(input.Shape, Shape3.FromArray(job.Block));
        var (low, high) = normalisation.WindowOver(plan.All().Select(b => input.Read(b.Start, Shape3.FromArray(b.Shape))), input.RawMaximum);
        job = job with { IntensityWindow = [low, high] };
        var heads = model.Model.Heads;
        var writer = SegmentationZarrWriter.Create(output, job, provenance, heads.OneHot, heads.Distance);
        return new BlockwiseSegmenter(model, input, writer, job, device);
    }

    /// <summary>
    /// Opens the job recorded in <paramref name="output"/> for a predictor handed one of its blocks: the input is the
    /// array the job names, cut to its region, and <paramref name="model"/> must be the job's.
    /// </summary>
    public static BlockwiseSegmenter OpenRecorded(LoadedModel model, SegmentationZarrWriter output, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(output);
        var job = output.ReadJob();
        if (!string.Equals(model.Metadata.ModelSha256, job.ModelSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"{output.JobFile} is a job of model {job.ModelSha256}, not of {model.Metadata.ModelSha256}");
        }

        var array = job.InputArray
            ?? throw new InvalidDataException($"{output.JobFile} names no input array (its input, {job.Input}, was read into memory); segment it with hd predict without --distribute");
        var input = RawSource.FromArray(ZarrArray.Open(array)).Region(job.RegionStart, Shape3.FromArray(job.Volume));
        return new BlockwiseSegmenter(model, input, output, job, device);
    }

    /// <summary>Does every block not yet done, then <see cref="Finish"/>.</summary>
    public BlockwiseResult Run(IProgress<BlockwiseProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var computed = 0;
        var skipped = 0;
        long voxels = 0;
        long remaining = Plan.All().Where(b => !IsDone(b.Index)).Sum(b => b.Voxels);
        foreach (var block in Plan.All())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (IsDone(block.Index))
            {
                skipped++;
                continue;
            }

            ProcessBlock(block.Index);
            ReleaseBlockMemory();
            computed++;
            voxels += block.Voxels;
            remaining -= block.Voxels;
            var rate = voxels / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
            progress?.Report(new BlockwiseProgress("blocks", computed + skipped, Plan.Count, rate, TimeSpan.FromSeconds(remaining / rate)));
        }

        return Conclude(computed, skipped, clock.Elapsed, progress);
    }

    /// <summary>
    /// Once every block is done: <see cref="Finish"/>es the job unless it is complete (so a second finish does nothing),
    /// and sums what it holds. <paramref name="computed"/>, <paramref name="skipped"/> and <paramref name="predicting"/>
    /// say what the caller's block pass did.
    /// </summary>
    public BlockwiseResult Conclude(int computed, int skipped, TimeSpan predicting, IProgress<BlockwiseProgress>? progress = null)
    {
        var (instances, stitching, pyramid) = Output.IsComplete() ? (Output.InstanceCounts(), TimeSpan.Zero, TimeSpan.Zero) : Finish(progress);
        var records = Plan.All().Select(b => Output.ReadDone(b.Index)!).ToList();
        var inside = _job.Classes.ToDictionary(c => c, c => records.Sum(r => r.Inside[c]), StringComparer.Ordinal);
        return new BlockwiseResult(_job, computed, skipped, inside, instances, predicting, stitching, pyramid);
    }

    public bool IsDone(int index) => Output.ReadDone(index) is not null;

    /// <summary>
    /// Predicts, post-processes and writes block <paramref name="index"/>, then records it done. Doing a block
    /// again writes the same bytes, so a redelivered block is harmless; callers skip done blocks to save the work.
    /// </summary>
    public BlockDone ProcessBlock(int index)
    {
        var clock = Stopwatch.StartNew();
        var block = Plan[index];
        var volume = Plan.Volume;
        var tiles = _tiles.TilesWithin(block.Start, block.End);
        var (start, shape) = _tiles.InputRegion(tiles, volume);
        var raw = _model.Metadata.Intensity.Apply(_input.Read(start, shape), (_job.IntensityWindow[0], _job.IntensityWindow[1]));
        var blockShape = Shape3.FromArray(block.Shape);
        var prediction = CropPredictor.PredictBlock(_model.Model, new RawRegion(raw, start, volume), _tiles, tiles, block.Start, blockShape, _job.Classes, _device, _job.TileBatch);
        var counts = new Dictionary<string, BlockLabelCount>(StringComparer.Ordinal);
        var inside = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var c = 0; c < _job.Classes.Count; c++)
        {
            var className = _job.Classes[c];
            var withInstances = _job.InstanceClasses.Contains(className);
            // Every block labels its unseeded pieces: they may be fragments of an instance seeded in another block.
            var options = _model.OptionsFor(className);
            var result = _model.PostProcess(prediction, c, withInstances, options with { LabelUnseededComponents = true });
            Output.WriteBlock(SegmentationZarrWriter.SemanticGroup, className, block, result.Mask.Data);
            inside[className] = result.Mask.Data.Count(v => v != 0);
            if (result.Instances is { } ids)
            {
                var (encoded, count) = ProvisionalInstances.Encode(ids, result.Mask, prediction.Distances?[c], options.SeedThreshold);
                ZarrArray.Open(Output.Provisional(className)).WriteRegion<uint>([block.Start[0], block.Start[1], block.Start[2]], block.Shape, encoded);
                counts[className] = count;
            }

            WriteRawOutputs(block, className, prediction.OneHotProbabilities?[c], prediction.Distances?[c]);
        }

        var done = new BlockDone(index, block.Start, block.Shape, counts, inside, clock.Elapsed.TotalSeconds);
        Output.MarkDone(done);
        return done;
    }

    /// <summary>
    /// Once every block is done: stitches each instance class across block faces, writes the final ids block by
    /// block (from the provisional ids, which stay until the end, so an interrupted pass simply runs again), builds
    /// the pyramids and marks the output complete.
    /// </summary>
    public (IReadOnlyDictionary<string, int> Instances, TimeSpan Stitching, TimeSpan Pyramid) Finish(IProgress<BlockwiseProgress>? progress = null)
    {
        var done = Plan.All().Select(b => Output.ReadDone(b.Index)).ToList();
        var missing = done.Count(d => d is null);
        if (missing > 0)
        {
            throw new InvalidOperationException($"{missing} of {Plan.Count} blocks of {Output.Root} are not done yet; the relabel pass waits for all of them");
        }

        for (var index = 0; index < done.Count; index++)
        {
            CheckRecord(index, done[index]!);
        }

        var clock = Stopwatch.StartNew();
        var instances = new Dictionary<string, int>(StringComparer.Ordinal);
        var classIndex = 0;
        foreach (var className in _job.InstanceClasses)
        {
            progress?.Report(new BlockwiseProgress("stitching", classIndex++, _job.InstanceClasses.Count, 0, null));
            var options = _model.OptionsFor(className);
            var provisional = ZarrArray.Open(Output.Provisional(className));
            var stitcher = BlockInstanceStitcher.Stitch(
                Plan,
                [.. done.Select(d => d!.Instances[className])],
                (start, shape) => provisional.ReadRegion<uint>([start[0], start[1], start[2]], shape.ToArray()),
                options.Connectivity,
                options.LabelUnseededComponents);
            foreach (var block in Plan.All())
            {
                var ids = provisional.ReadRegion<uint>([block.Start[0], block.Start[1], block.Start[2]], block.Shape);
                stitcher.Relabel(block.Index, ids);
                Output.WriteBlock(SegmentationZarrWriter.InstancesGroup, className, block, ids);
            }

            instances[className] = stitcher.Count;
        }

        var stitching = clock.Elapsed;
        progress?.Report(new BlockwiseProgress("pyramid", 0, 1, 0, null));
        clock.Restart();
        Output.Complete(_job, instances);
        progress?.Report(new BlockwiseProgress("pyramid", 1, 1, 0, null));
        return (instances, stitching, clock.Elapsed);
    }

    /// <summary>
    /// A done record is read from disk and sizes what the stitcher allocates: it must describe its block and hold no
    /// more ids than the block has voxels.
    /// </summary>
    private void CheckRecord(int index, BlockDone record)
    {
        var block = Plan[index];
        var problem = record.Index != index || !record.Start.SequenceEqual(block.Start) || !record.Shape.SequenceEqual(block.Shape)
            ? "describes another block than its file name"
            : _job.InstanceClasses.FirstOrDefault(c => !record.Instances.TryGetValue(c, out var count) || count.Labels < 0 || count.Seeded < 0 || count.Seeded > count.Labels || count.Labels > block.Voxels) is { } className
                ? $"holds no valid instance count for {className}"
                : null;
        if (problem is not null)
        {
            throw new InvalidDataException($"{Output.DonePath(index)} {problem}; delete it so the block is done again");
        }
    }

    /// <summary>
    /// Returns the finished block's buffers (hundreds of MB, all on the large object heap) before the next block
    /// allocates its own. Left to itself the GC lets the heap grow over several blocks before a full collection,
    /// and the peak then depends on how many blocks the volume has, which is what blockwise prediction must not do.
    /// One compacting collection per block costs milliseconds against a block's seconds. It is an aggressive one
    /// because a forced collection alone kept the freed regions committed: with the pipeline's small network the
    /// resident set between blocks grew from 390 to 930 MB over four blocks, all of it under the next block's network.
    /// </summary>
    public static void ReleaseBlockMemory()
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    private void WriteRawOutputs(BlockExtent block, string className, Volume<float>? probability, Volume<float>? distance)
    {
        foreach (var (group, values, low) in new[] { (SegmentationZarrWriter.ProbabilitiesGroup, probability, 0f), (SegmentationZarrWriter.DistancesGroup, distance, -1f) })
        {
            if (values is null || _job.RawOutput == RawOutputKind.None)
            {
                continue;
            }

            if (_job.RawOutput == RawOutputKind.HalfPrecision)
            {
                Output.WriteBlock(group, className, block, Array.ConvertAll(values.Data, v => (Half)v));
                continue;
            }

            // Probabilities [0, 1] and distances [-1, 1] onto 0..255.
            var scale = 255f / (1f - low);
            Output.WriteBlock(group, className, block, Array.ConvertAll(values.Data, v => float.IsNaN(v) ? (byte)0 : (byte)MathF.Round(Math.Clamp((v - low) * scale, 0f, 255f))));
        }
    }

    private static int LeastCommonMultiple(int a, int b)
    {
        static int Gcd(int x, int y) => y == 0 ? x : Gcd(y, x % y);
        return checked(a / Gcd(a, b) * b);
    }
}
