namespace HotDistance.Core.Zarr;

/// <summary>The system's liblz4 (block format, as blosc stores it), called through a function pointer.</summary>
internal static unsafe class NativeLz4
{
    private static readonly delegate* unmanaged<byte*, byte*, int, int, int> s_decompressSafe;

#pragma warning disable CA1810 // The exports must be resolved together, which field initialisers cannot express.
    static NativeLz4()
#pragma warning restore CA1810
    {
        nint[]? exports = NativeCodecLibrary.TryLoad(
            NativeCodecLibrary.Candidates("lz4", "liblz4.so.1"),
            ["LZ4_decompress_safe", "LZ4_versionNumber"],
            out string name, out string reason);
        if (exports is null)
        {
            Description = $"managed K4os.Compression.LZ4 ({reason})";
            return;
        }

        s_decompressSafe = (delegate* unmanaged<byte*, byte*, int, int, int>)exports[0];
        uint version = (uint)((delegate* unmanaged<int>)exports[1])();
        IsAvailable = true;
        Description = $"native {name} {NativeCodecLibrary.FormatVersion(version)}";
    }

    public static bool IsAvailable { get; }

    /// <summary>"native liblz4.so.1 1.9.4", or "managed K4os.Compression.LZ4 (why)".</summary>
    public static string Description { get; }

    /// <summary>Decodes one LZ4 block; returns the bytes written, negative when the block is malformed.</summary>
    public static int Decompress(ReadOnlySpan<byte> encoded, Span<byte> decoded)
    {
        fixed (byte* source = encoded)
        fixed (byte* target = decoded)
        {
            return s_decompressSafe(source, target, encoded.Length, decoded.Length);
        }
    }
}
