namespace HotDistance.Core.Zarr;

/// <summary>
/// Which decompressors the Zarr reader uses. The system's libzstd.so.1 and liblz4.so.1 are used when present
/// (loaded once, on first use); otherwise, or when one lacks an export, the managed ports ZstdSharp and
/// K4os.Compression.LZ4 decode the same streams.
/// </summary>
public static class ZarrCodecs
{
    private static readonly AsyncLocal<bool> s_forceManaged = new();

    /// <summary>One line for diagnostics, e.g. "zstd: native libzstd.so.1 1.5.4; lz4: native liblz4.so.1 1.9.4".</summary>
    public static string Backend => $"zstd: {NativeZstd.Description}; lz4: {NativeLz4.Description}";

    /// <summary>Whether the native libraries may be used by decodes started from this flow.</summary>
    internal static bool NativeAllowed => !s_forceManaged.Value;

    internal static bool UseNativeZstd => NativeZstd.IsAvailable && NativeAllowed;

    internal static bool UseNativeLz4 => NativeLz4.IsAvailable && NativeAllowed;

    /// <summary>
    /// Makes decodes started from the calling flow (including the parallel chunk loops it starts) use the managed
    /// decompressors until the scope is disposed; lets tests compare both paths without affecting other threads.
    /// </summary>
    internal static IDisposable ForceManaged()
    {
        s_forceManaged.Value = true;
        return new ManagedScope();
    }

    private sealed class ManagedScope : IDisposable
    {
        public void Dispose() => s_forceManaged.Value = false;
    }
}
