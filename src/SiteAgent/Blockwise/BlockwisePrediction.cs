using System.Globalization;
using System.Text.Json.Nodes;
using HotDistance.Core.Volumes;
using HotDistance.Learning.Checkpoints;
using static TorchSharp.torch;

namespace HotDistance.SiteAgent.Blockwise;

/// <summary>
/// What <c>hd predict</c> and a site's own volumes share between reading the input and running the blocks: the job
/// a model does on an input (its blocks, tiles and instance classes), the provenance recorded in the output, and the
/// output opened (created, or continued when it holds the same job). One path, so a site's segmentation of a volume
/// is the bytes <c>hd predict --model N</c> writes for it.
/// </summary>
public static class BlockwisePrediction
{
    /// <param name="inputPath">The input as given (recorded, made absolute, in the output's provenance).</param>
    /// <param name="crop">The CellMap crop asked for, if any (provenance only).</param>
    /// <param name="voxelSize">The input's grid: its own, else the model's.</param>
    public static BlockwiseSegmenter Open(
        LoadedModel model,
        PredictInput input,
        VoxelSize voxelSize,
        string inputPath,
        string? crop,
        string output,
        IReadOnlySet<string> instanceClasses,
        BlockwiseSettings settings,
        string modelName,
        bool force,
        Device? device)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        var metadata = model.Metadata;
        var job = BlockwiseSegmenter.PlanJob(model, input.Raw, input.Description, input.RegionStart, voxelSize, input.OffsetNm, instanceClasses, settings) with { InputArray = input.ArrayPath };
        var provenance = new JsonObject
        {
            ["model"] = modelName,
            ["version"] = model.Version,
            ["variant"] = metadata.Variant,
            ["model_sha256"] = metadata.ModelSha256,
            ["intensity"] = metadata.Intensity.ToString(),
            ["classes"] = new JsonArray([.. metadata.Classes.Select(c => (JsonNode?)JsonValue.Create(c))]),
            ["input"] = Path.GetFullPath(inputPath),
            ["crop"] = crop,
            ["region_start"] = new JsonArray(input.RegionStart[0], input.RegionStart[1], input.RegionStart[2]),
            ["voxel_size_nm"] = new JsonArray(voxelSize.Z, voxelSize.Y, voxelSize.X),
            ["code_version"] = Checkpoint.CodeVersion,
            ["created_at"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        };
        return BlockwiseSegmenter.Open(model, input.Raw, output, job, provenance, force, device);
    }
}
