using System.Text.Json.Nodes;
using ZstdSharp;

namespace HotDistance.Core.Zarr;

/// <summary>numcodecs "zstd": one Zstandard frame per chunk.</summary>
internal sealed class ZstdCompressor(int level) : ZarrCompressor
{
    // Contexts are costly to create and not thread-safe; one per thread serves the parallel chunk loops.
    [ThreadStatic]
    private static Decompressor? t_decompressor;

    [ThreadStatic]
    private static Compressor? t_compressor;

    [ThreadStatic]
    private static int t_compressorLevel;

    public int Level { get; } = level;

    public override string Id => "zstd";

    /// <summary>Decodes one raw Zstandard frame; shared with blosc's inner zstd streams.</summary>
    internal static int Unwrap(ReadOnlySpan<byte> encoded, Span<byte> decoded)
    {
        t_decompressor ??= new Decompressor();
        return t_decompressor.Unwrap(encoded, decoded);
    }

    internal override void Decode(byte[] encoded, Span<byte> decoded, string chunkPath)
    {
        int written;
        try
        {
            // Frames record their size (numcodecs requires it); checking it first gives a clearer error than
            // "destination too small".
            ulong contentSize = Decompressor.GetDecompressedSize(encoded);
            if (contentSize != 0 && contentSize != (ulong)decoded.Length)
            {
                ThrowSizeMismatch(chunkPath, contentSize > int.MaxValue ? -1 : (long)contentSize, decoded.Length);
            }

            written = Unwrap(encoded, decoded);
        }
        catch (ZstdException e)
        {
            ThrowCorrupt(chunkPath, "zstd", e);
            return;
        }

        if (written != decoded.Length)
        {
            ThrowSizeMismatch(chunkPath, written, decoded.Length);
        }
    }

    internal override byte[] Encode(ReadOnlySpan<byte> data)
    {
        if (t_compressor is null || t_compressorLevel != Level)
        {
            t_compressor?.Dispose();
            t_compressor = new Compressor(Level);
            t_compressorLevel = Level;
        }

        return t_compressor.Wrap(data).ToArray();
    }

    internal override JsonObject ToJson() => new() { ["id"] = Id, ["level"] = Level };
}
