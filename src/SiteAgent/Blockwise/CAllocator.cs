using System.Runtime.InteropServices;

namespace HotDistance.SiteAgent.Blockwise;

/// <summary>
/// Gives the C allocator's free memory back to the system. libtorch allocates each tile's activations with
/// malloc; glibc keeps freed large blocks in its heap once its adaptive mmap threshold has risen, so without a trim
/// the resident set creeps up block after block although nothing is live.
/// </summary>
internal static partial class CAllocator
{
    public static void Trim()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (e.g. musl): nothing to trim this way.
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
