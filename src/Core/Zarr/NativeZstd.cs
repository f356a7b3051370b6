using System.Runtime.InteropServices;

namespace HotDistance.Core.Zarr;

/// <summary>
/// The system's libzstd, called through function pointers: several times faster than the managed port on the
/// chunk sizes Zarr uses. <see cref="IsAvailable"/> is false when the library or one of its exports is missing.
/// </summary>
internal static unsafe class NativeZstd
{
    // ZSTD_getFrameContentSize's two sentinels (zstd.h): size not recorded in the frame, and not a frame.
    private const ulong ContentSizeUnknown = ulong.MaxValue;
    private const ulong ContentSizeError = ulong.MaxValue - 1;

    private static readonly delegate* unmanaged<nint> s_createDCtx;
    private static readonly delegate* unmanaged<nint, nuint> s_freeDCtx;
    private static readonly delegate* unmanaged<nint, byte*, nuint, byte*, nuint, nuint> s_decompressDCtx;
    private static readonly delegate* unmanaged<byte*, nuint, ulong> s_getFrameContentSize;
    private static readonly delegate* unmanaged<nuint, uint> s_isError;
    private static readonly delegate* unmanaged<nuint, byte*> s_getErrorName;

    // A decompression context is about 160 KiB and not thread-safe: one per thread serves the parallel chunk
    // loop; the handle frees it when its thread goes away.
    [ThreadStatic]
    private static ContextHandle? t_context;

    // The static constructor runs once, on first use, under the runtime's type-initialisation lock.
#pragma warning disable CA1810 // The exports must be resolved together, which field initialisers cannot express.
    static NativeZstd()
#pragma warning restore CA1810
    {
        nint[]? exports = NativeCodecLibrary.TryLoad(
            NativeCodecLibrary.Candidates("zstd", "libzstd.so.1"),
            ["ZSTD_createDCtx", "ZSTD_freeDCtx", "ZSTD_decompressDCtx", "ZSTD_getFrameContentSize", "ZSTD_isError", "ZSTD_getErrorName", "ZSTD_versionNumber"],
            out string name, out string reason);
        if (exports is null)
        {
            Description = $"managed ZstdSharp ({reason})";
            return;
        }

        s_createDCtx = (delegate* unmanaged<nint>)exports[0];
        s_freeDCtx = (delegate* unmanaged<nint, nuint>)exports[1];
        s_decompressDCtx = (delegate* unmanaged<nint, byte*, nuint, byte*, nuint, nuint>)exports[2];
        s_getFrameContentSize = (delegate* unmanaged<byte*, nuint, ulong>)exports[3];
        s_isError = (delegate* unmanaged<nuint, uint>)exports[4];
        s_getErrorName = (delegate* unmanaged<nuint, byte*>)exports[5];
        uint version = ((delegate* unmanaged<uint>)exports[6])();
        IsAvailable = true;
        Description = $"native {name} {NativeCodecLibrary.FormatVersion(version)}";
    }

    public static bool IsAvailable { get; }

    /// <summary>"native libzstd.so.1 1.5.4", or "managed ZstdSharp (why)".</summary>
    public static string Description { get; }

    /// <summary>The content size the frame header records; null when it records none; an error names the problem.</summary>
    public static ulong? FrameContentSize(ReadOnlySpan<byte> frame, out string? error)
    {
        ulong size;
        fixed (byte* source = frame)
        {
            size = s_getFrameContentSize(source, (nuint)frame.Length);
        }

        error = size == ContentSizeError ? "not a Zstandard frame header" : null;
        return size is ContentSizeUnknown or ContentSizeError ? null : size;
    }

    /// <summary>Decodes the frames in <paramref name="encoded"/>; returns the bytes written, or -1 with zstd's reason.</summary>
    public static int Decompress(ReadOnlySpan<byte> encoded, Span<byte> decoded, out string? error)
    {
        t_context ??= ContextHandle.Create();
        nuint result;
        fixed (byte* source = encoded)
        fixed (byte* target = decoded)
        {
            result = s_decompressDCtx(t_context.DangerousGetHandle(), target, (nuint)decoded.Length, source, (nuint)encoded.Length);
        }

        if (s_isError(result) != 0)
        {
            error = Marshal.PtrToStringUTF8((nint)s_getErrorName(result)) ?? "unknown zstd error";
            return -1;
        }

        error = null;
        return (int)result;
    }

    private sealed class ContextHandle : SafeHandle
    {
        private ContextHandle()
            : base(0, ownsHandle: true)
        {
        }

        public override bool IsInvalid => handle == 0;

        public static ContextHandle Create()
        {
            var context = new ContextHandle();
            context.SetHandle(s_createDCtx());
            return context.IsInvalid ? throw new InsufficientMemoryException("ZSTD_createDCtx returned no context") : context;
        }

        protected override bool ReleaseHandle()
        {
            s_freeDCtx(handle);
            return true;
        }
    }
}
