namespace HotDistance.Learning.Inference;

/// <summary>
/// How <see cref="CropPredictor"/> cuts a crop into tiles. Each tile predicts a core of at most
/// <see cref="CoreSize"/> voxels per axis (z, y, x) from an input window that adds the network's full receptive
/// context on every side, so device memory is bounded by the window, not by the crop.
/// </summary>
public sealed record TilingOptions
{
    public static TilingOptions Default { get; } = new();

    /// <summary>Voxels per axis (z, y, x) each tile predicts; rounded up to the network's downsampling multiple.</summary>
    public IReadOnlyList<int> CoreSize { get; init; } = [96, 96, 96];

    /// <summary>How many equally sized tile windows go through the network in one forward pass.</summary>
    public int BatchSize { get; init; } = 2;

    internal void Validate()
    {
        if (CoreSize is not { Count: 3 } || CoreSize.Any(s => s <= 0))
        {
            throw new ArgumentException($"tiling CoreSize must be three positive voxel counts (z, y, x), got [{string.Join(", ", CoreSize ?? [])}]");
        }

        if (BatchSize <= 0)
        {
            throw new ArgumentException($"tiling BatchSize must be positive, got {BatchSize}");
        }
    }
}
