using HotDistance.Core.Volumes;

namespace HotDistance.Learning.Inference;

/// <summary>
/// Part of a crop held in memory: <see cref="Data"/> is the box starting at <see cref="Origin"/> (z, y, x) of a crop
/// of shape <see cref="Crop"/>, already normalised as the model's input. Blockwise prediction holds one block's
/// input (its tiles' windows) this way; a whole crop is the box at the origin.
/// </summary>
public sealed record RawRegion(Volume<float> Data, int[] Origin, Shape3 Crop)
{
    public static RawRegion Whole(Volume<float> raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        return new RawRegion(raw, [0, 0, 0], raw.Shape);
    }
}
