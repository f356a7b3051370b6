using HotDistance.Core.Crops;

namespace HotDistance.Evaluator;

/// <summary>
/// The middle Z slice of a held-out crop as the report shows it: raw intensities and the truth of every class
/// the crop annotates (classes it does not annotate are absent, not empty).
/// </summary>
public sealed record CropSlice(
    string CropId,
    string CropName,
    int Z,
    int Depth,
    int Height,
    int Width,
    float[] Raw,
    IReadOnlyDictionary<string, LabelSlice> Truth)
{
    /// <summary>The width of a voxel along X in nm, for the slices' scale bar; null draws none.</summary>
    public double? PixelNm { get; init; }

    public static CropSlice Middle(string cropId, Crop crop)
    {
        ArgumentNullException.ThrowIfNull(crop);
        var truth = crop.Labels.ToDictionary(
            pair => pair.Key,
            pair => new LabelSlice(MiddleSlice.Of(pair.Value.Mask), pair.Value.Instances is { } ids ? MiddleSlice.Of(ids) : null),
            StringComparer.Ordinal);
        var shape = crop.Shape;
        return new CropSlice(cropId, crop.Name, MiddleSlice.Z(shape), shape.Z, shape.Y, shape.X, MiddleSlice.Of(crop.Raw), truth)
        {
            PixelNm = crop.VoxelSize.IsValid ? crop.VoxelSize.X : null,
        };
    }
}
