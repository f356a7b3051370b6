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

    /// <summary>
    /// Decodes one raw Zstandard frame (shared with blosc's inner zstd streams); returns the bytes written, or -1
    /// with the codec's reason. <paramref name="native"/> picks libzstd over the managed port.
    /// </summary>
    internal static int Unwrap(ReadOnlySpan<byte> encoded, Span<byte> decoded, bool native, out string? error)
    {
        if (native)
        {
            return NativeZstd.Decompress(encoded, decoded, out error);
        }

        try
        {
            t_decompressor ??= new Decompressor();
            error = null;
            return t_decompressor.Unwrap(encoded, decoded);
        }
        catch (ZstdException e)
        {
            error = e.Message;
            return -1;
        }
    }

    internal override void Decode(ArraySegment<byte> encoded, Span<byte> decoded, string chunkPath)
    {
        bool native = ZarrCodecs.UseNativeZstd;

        // Frames record their size (numcodecs requires it); checking it first gives a clearer error than
        // "destination too small".
        ulong? contentSize = FrameContentSize(encoded, native, out string? error);
        if (error is not null)
        {
            ThrowCorrupt(chunkPath, "zstd", error);
        }

        if (contentSize is { } size && size != (ulong)decoded.Length)
        {
            ThrowSizeMismatch(chunkPath, size > int.MaxValue ? -1 : (long)size, decoded.Length);
        }

        int written = Unwrap(encoded, decoded, native, out error);
        if (error is not null)
        {
            ThrowCorrupt(chunkPath, "zstd", error);
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

    private static ulong? FrameContentSize(ReadOnlySpan<byte> frame, bool native, out string? error)
    {
        if (native)
        {
            return NativeZstd.FrameContentSize(frame, out error);
        }

        try
        {
            error = null;
            ulong size = Decompressor.GetDecompressedSize(frame);
            return size == 0 ? null : size;
        }
        catch (ZstdException e)
        {
            error = e.Message;
            return null;
        }
    }
}
