namespace HotDistance.Core.Zarr;

/// <summary>How <see cref="ZarrArray.Create{T}"/> lays out a new array.</summary>
public sealed record ZarrWriteOptions
{
    /// <summary>Chunk compressor; null stores chunks uncompressed. Default: zstd level 3 (numcodecs-compatible).</summary>
    public ZarrCompressor? Compressor { get; init; } = ZarrCompressor.Zstd();

    /// <summary>Chunk key separator: '/' (nested directories) or '.' (flat).</summary>
    public char DimensionSeparator { get; init; } = '/';

    /// <summary>Replace an existing array at the path (its chunks are deleted first).</summary>
    public bool Overwrite { get; init; }
}
