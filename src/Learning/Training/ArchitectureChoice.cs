using HotDistance.Learning.Model;

namespace HotDistance.Learning.Training;

/// <summary>
/// Which network a set of crops can train: the configured one, or its planar form when a crop has fewer slices
/// than the configured network halves Z by (a 4-slice crop cannot pass two 2x2x2 downsamplings). hd train's
/// "auto" and every pipeline generation decide the same way, so a thin crop never stops a generation.
/// </summary>
public static class ArchitectureChoice
{
    /// <returns>The network, and why it is not the configured one (null when it is).</returns>
    public static (ModelArchitecture Architecture, string? Reason) For(IReadOnlyList<TrainingCrop> crops, ModelArchitecture configured)
    {
        ArgumentNullException.ThrowIfNull(crops);
        ArgumentNullException.ThrowIfNull(configured);
        if (configured.Planar || crops.Count == 0)
        {
            return (configured, null);
        }

        var thinnest = crops.MinBy(c => c.Crop.Shape.Z)!;
        var zDownsample = configured.TotalDownsample()[0];
        return thinnest.Crop.Shape.Z < zDownsample
            ? (configured.AsPlanar(), $"crop {thinnest.CropId} has {thinnest.Crop.Shape.Z} slice(s), fewer than the 3D network halves Z by ({zDownsample}): training the planar (2D) network")
            : (configured, null);
    }

    /// <summary>Why no network of this family can use <paramref name="crop"/>, or null when one can.</summary>
    public static string? Unusable(TrainingCrop crop, ModelArchitecture configured)
    {
        ArgumentNullException.ThrowIfNull(crop);
        ArgumentNullException.ThrowIfNull(configured);
        var shape = crop.Crop.Shape;
        return Math.Min(shape.Y, shape.X) < configured.InPlaneDownsample
            ? $"crop {crop.CropId} is {shape} voxels, narrower in Y or X than the network downsamples ({configured.InPlaneDownsample}); train on larger crops"
            : null;
    }
}
