using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using HotDistance.Core.Blockwise;
using HotDistance.Core.IO;
using HotDistance.Core.Volumes;
using HotDistance.Core.Zarr;
using HotDistance.SiteAgent.Blockwise;

namespace HotDistance.SiteAgent;

/// <summary>
/// The one writer of a segmentation output, OME-Zarr (Zarr v2, OME-NGFF 0.4) that napari and neuroglancer open:
/// <c>semantic/&lt;class&gt;</c> holds each class's mask (uint8, 1 inside), <c>instances/&lt;class&gt;</c> the
/// instance ids of instance classes (uint32, 0 background), and optionally <c>probabilities/&lt;class&gt;</c> and
/// <c>distances/&lt;class&gt;</c> the network's outputs; each a multiscale group (s0, then the pyramid) carrying the
/// voxel size and offset in nanometres. The root's .zattrs says which model made it, and <c>complete</c> whether
/// every block is in.
/// <para>
/// It is written block by block (<see cref="BlockwiseSegmenter"/>): the job, the finished blocks and the instance
/// ids before stitching live under <c>.hd-blocks/</c> beside the arrays, which zarr readers ignore.
/// </para>
/// </summary>
public sealed class SegmentationZarrWriter
{
    public const string SemanticGroup = "semantic";
    public const string InstancesGroup = "instances";
    public const string ProbabilitiesGroup = "probabilities";
    public const string DistancesGroup = "distances";
    public const string ProvenanceAttribute = "hotdistance";
    public const string StateFolder = ".hd-blocks";
    public const string CompleteAttribute = "complete";

    private SegmentationZarrWriter(string root) => Root = root;

    public string Root { get; }

    public string JobFile => Path.Combine(Root, StateFolder, "job.json");

    public string DoneFolder => Path.Combine(Root, StateFolder, "done");

    /// <summary>Where a distributed job keeps the model its predictors load (checked against the job's SHA-256).</summary>
    public string ModelFolder => Path.Combine(Root, StateFolder, "model");

    /// <summary>Where a predictor records a block it could not do, with the reason, for the waiting command.</summary>
    public string FailedFolder => Path.Combine(Root, StateFolder, "failed");

    private string ProvisionalFolder => Path.Combine(Root, StateFolder, "provisional");

    public static string Level0(string root, string group, string className) => Path.Combine(root, group, className, "s0");

    /// <summary>An output a job was started in (it has a job record), or null.</summary>
    public static SegmentationZarrWriter? OpenExisting(string path)
    {
        var writer = new SegmentationZarrWriter(Path.GetFullPath(path));
        return File.Exists(writer.JobFile) ? writer : null;
    }

    /// <summary>
    /// Creates the output folder for <paramref name="job"/>: the groups and empty arrays, then the job record (last,
    /// so an output with a job record is always whole). <paramref name="oneHot"/> and <paramref name="distance"/> say
    /// which raw outputs the model has.
    /// </summary>
    public static SegmentationZarrWriter Create(string path, BlockwiseJob job, JsonObject provenance, bool oneHot, bool distance)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(provenance);
        var writer = new SegmentationZarrWriter(Path.GetFullPath(path));
        var root = writer.Root;
        ZarrGroup.Create(root);
        var attributes = ZarrGroup.ReadAttributes(root);
        attributes[ProvenanceAttribute] = provenance.DeepClone();
        attributes[ProvenanceAttribute]![CompleteAttribute] = false;
        ZarrGroup.WriteAttributes(root, attributes);
        long[] shape = [job.Volume[0], job.Volume[1], job.Volume[2]];
        var voxelSize = VoxelSize.FromArray(job.VoxelSizeNm);
        void Array<T>(string group, string className)
            where T : unmanaged, INumberBase<T>
        {
            ZarrGroup.CreateAll(root, Path.Combine(root, group, className));
            ZarrArray.Create<T>(Level0(root, group, className), shape, job.Chunk, new ZarrWriteOptions { Overwrite = true });
            OmeNgff.WriteMultiscale(Path.Combine(root, group, className), new OmeMultiscale(className, OmeAxis.SpatialZyx, [OmeScaleLevel.Create("s0", voxelSize, job.OffsetNm)]));
        }

        foreach (var className in job.Classes)
        {
            Array<byte>(SemanticGroup, className);
            if (job.InstanceClasses.Contains(className))
            {
                Array<uint>(InstancesGroup, className);
                ZarrArray.Create<uint>(writer.Provisional(className), shape, job.Chunk, new ZarrWriteOptions { Overwrite = true });
            }

            foreach (var (group, present) in new[] { (ProbabilitiesGroup, oneHot), (DistancesGroup, distance) })
            {
                if (present && job.RawOutput == RawOutputKind.Scaled)
                {
                    Array<byte>(group, className);
                }
                else if (present && job.RawOutput == RawOutputKind.HalfPrecision)
                {
                    Array<Half>(group, className);
                }
            }
        }

        Directory.CreateDirectory(writer.DoneFolder);
        AtomicFile.WriteJson(writer.JobFile, job);
        return writer;
    }

    public BlockwiseJob ReadJob() =>
        AtomicFile.ReadJson<BlockwiseJob>(JobFile) ?? throw new InvalidDataException($"{JobFile} is empty; remove {Root} or pass --force to start over");

    public string DonePath(int index) => Path.Combine(DoneFolder, index.ToString(CultureInfo.InvariantCulture) + ".json");

    /// <summary>The block's done record, or null while it is not done.</summary>
    public BlockDone? ReadDone(int index) => File.Exists(DonePath(index)) ? AtomicFile.ReadJson<BlockDone>(DonePath(index)) : null;

    /// <summary>Records a block as done; call after every one of its chunks is written.</summary>
    public void MarkDone(BlockDone done)
    {
        ArgumentNullException.ThrowIfNull(done);
        AtomicFile.WriteJson(DonePath(done.Index), done);
    }

    /// <summary>
    /// The indices of the blocks recorded done, with when each record was written (for rates), read from the folder's
    /// listing alone: a waiting command or <c>hd status</c> looks every second, and reading every record would not scale.
    /// </summary>
    public IReadOnlyList<(int Index, DateTime WrittenUtc)> ListDone()
    {
        var folder = new DirectoryInfo(DoneFolder);
        return folder.Exists
            ? [.. folder.EnumerateFiles("*.json").Select(f => (Parsed: int.TryParse(Path.GetFileNameWithoutExtension(f.Name), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : -1, f.LastWriteTimeUtc)).Where(f => f.Parsed >= 0)]
            : [];
    }

    public string FailurePath(int index) => Path.Combine(FailedFolder, index.ToString(CultureInfo.InvariantCulture) + ".json");

    /// <summary>Records that a predictor gave up on a block (its retries spent), for the command waiting on the job.</summary>
    public void MarkFailed(BlockFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        Directory.CreateDirectory(FailedFolder);
        AtomicFile.WriteJson(FailurePath(failure.Index), failure);
    }

    /// <summary>Every block failure recorded, by block index.</summary>
    public IReadOnlyList<BlockFailure> ReadFailures() =>
        Directory.Exists(FailedFolder)
            ? [.. Directory.EnumerateFiles(FailedFolder, "*.json").Select(AtomicFile.ReadJson<BlockFailure>).OfType<BlockFailure>().OrderBy(f => f.Index)]
            : [];

    /// <summary>The recorded failures whose block has no done record (a later attempt may have done it).</summary>
    public IReadOnlyList<BlockFailure> ReadStandingFailures() => [.. ReadFailures().Where(f => ReadDone(f.Index) is null)];

    /// <summary>Forgets the failures of an earlier attempt before its blocks are requested again.</summary>
    public void ClearFailures()
    {
        if (Directory.Exists(FailedFolder))
        {
            Directory.Delete(FailedFolder, recursive: true);
        }
    }

    /// <summary>The array of a class's instance ids before stitching (<see cref="Core.PostProcessing.ProvisionalInstances"/>).</summary>
    public string Provisional(string className) => Path.Combine(ProvisionalFolder, className);

    public void WriteBlock<T>(string group, string className, BlockExtent block, T[] values)
        where T : unmanaged, INumberBase<T> =>
        ZarrArray.Open(Level0(Root, group, className)).WriteRegion<T>([block.Start[0], block.Start[1], block.Start[2]], block.Shape, values);

    public const string InstanceCountsAttribute = "instances";

    /// <summary>
    /// Builds the pyramid of every array and marks the output complete, with the number of instances of each
    /// instance class; the stitching state is removed.
    /// </summary>
    public void Complete(BlockwiseJob job, IReadOnlyDictionary<string, int> instances)
    {
        ArgumentNullException.ThrowIfNull(instances);
        ArgumentNullException.ThrowIfNull(job);
        var voxelSize = VoxelSize.FromArray(job.VoxelSizeNm);
        foreach (var className in job.Classes)
        {
            OmePyramid.Build<byte>(Path.Combine(Root, SemanticGroup, className), className, voxelSize, job.OffsetNm, mode: true);
            if (job.InstanceClasses.Contains(className))
            {
                OmePyramid.Build<uint>(Path.Combine(Root, InstancesGroup, className), className, voxelSize, job.OffsetNm, mode: true);
            }

            foreach (var group in new[] { ProbabilitiesGroup, DistancesGroup })
            {
                var folder = Path.Combine(Root, group, className);
                if (job.RawOutput == RawOutputKind.Scaled && Directory.Exists(folder))
                {
                    OmePyramid.Build<byte>(folder, className, voxelSize, job.OffsetNm, mode: false);
                }
                else if (job.RawOutput == RawOutputKind.HalfPrecision && Directory.Exists(folder))
                {
                    OmePyramid.Build<Half>(folder, className, voxelSize, job.OffsetNm, mode: false);
                }
            }
        }

        var attributes = ZarrGroup.ReadAttributes(Root);
        attributes[ProvenanceAttribute]![CompleteAttribute] = true;
        attributes[ProvenanceAttribute]![InstanceCountsAttribute] = new JsonObject(instances.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
        ZarrGroup.WriteAttributes(Root, attributes);
        if (Directory.Exists(ProvisionalFolder))
        {
            Directory.Delete(ProvisionalFolder, recursive: true);
        }
    }

    /// <summary>The instances per instance class of a complete output.</summary>
    public IReadOnlyDictionary<string, int> InstanceCounts() =>
        (ZarrGroup.ReadAttributes(Root)[ProvenanceAttribute]?[InstanceCountsAttribute] as JsonObject ?? [])
            .ToDictionary(p => p.Key, p => p.Value!.GetValue<int>(), StringComparer.Ordinal);

    /// <summary>Whether the output's blocks, stitching and pyramid are all done.</summary>
    public bool IsComplete() =>
        ZarrGroup.ReadAttributes(Root)[ProvenanceAttribute]?[CompleteAttribute] is JsonValue value && value.TryGetValue(out bool complete) && complete;
}
