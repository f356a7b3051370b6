using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace HotDistance.Learning.Runtime;

/// <summary>
/// Caps libtorch's oneDNN at AVX2 on CPUs whose cache-topology leaf is empty, before libtorch loads.
/// </summary>
/// <remarks>
/// Root cause of the random non-finite training on this project's machines: they report an AMD CPU with
/// AVX-512 whose CPUID leaf 0x8000001D (cache topology) returns zeros. libtorch 2.10 bundles oneDNN 3.7.1, which
/// derives 1-byte L1/L2/L3 caches from that leaf (later oneDNN falls back to defaults). With those sizes its
/// AVX-512 convolution kernels leave the padding of the 16-channel-blocked layouts unzeroed, and the input
/// gradient of a convolution whose output channels do not fill a block adds in stale memory: wrong by up to 70%,
/// sometimes 1e29 or NaN, depending on allocation history, which is why it looked random and load-dependent.
/// Forward passes and weight gradients are right. Under AVX2 blocks are 8 channels wide, which every layer of
/// our networks fills. A user's own ONEDNN_MAX_CPU_ISA (or DNNL_MAX_CPU_ISA) is left alone;
/// <see cref="DisableVariable"/>=1 turns the cap off.
/// </remarks>
public static partial class OneDnnIsaCap
{
    public const string IsaVariable = "ONEDNN_MAX_CPU_ISA";
    public const string LegacyIsaVariable = "DNNL_MAX_CPU_ISA";
    public const string CappedIsa = "AVX2";

    /// <summary>Set to 1 to leave oneDNN uncapped even where the cache leaf is empty.</summary>
    public const string DisableVariable = "HD_ONEDNN_UNCAPPED";

    private const uint CacheTopologyLeaf = 0x8000001D;

    /// <summary>
    /// Why this CPU needs the cap, or null when it does not: an AMD CPU with AVX-512 whose cache-topology leaf
    /// is missing or describes no cache.
    /// </summary>
    public static string? CpuProblem()
    {
        if (!X86Base.IsSupported || !Avx512F.IsSupported)
        {
            return null;
        }

        var (_, vendorB, vendorC, vendorD) = X86Base.CpuId(0, 0);
        if (Vendor(vendorB, vendorD, vendorC) != "AuthenticAMD")
        {
            return null;
        }

        var maxExtendedLeaf = (uint)X86Base.CpuId(unchecked((int)0x80000000), 0).Eax;
        if (maxExtendedLeaf < CacheTopologyLeaf)
        {
            return "this AMD CPU with AVX-512 has no cache-topology leaf (CPUID 0x8000001D)";
        }

        // EAX bits 4:0 of sub-leaf 0 are the cache type; 0 means "no cache": the leaf is empty.
        var cacheType = X86Base.CpuId(unchecked((int)CacheTopologyLeaf), 0).Eax & 0x1F;
        return cacheType == 0
            ? "this AMD CPU with AVX-512 reports an empty cache-topology leaf (CPUID 0x8000001D)"
            : null;
    }

    /// <summary>
    /// Applies the cap where the CPU needs it and nobody chose otherwise. Must run before libtorch is loaded;
    /// oneDNN reads the variable once, on its first kernel.
    /// </summary>
    internal static OneDnnIsaSetting Apply()
    {
        if ((NativeValue(IsaVariable) ?? NativeValue(LegacyIsaVariable)) is { } chosen)
        {
            return new OneDnnIsaSetting(chosen, $"set in the environment ({IsaVariable})");
        }

        var problem = CpuProblem();
        if (problem is null)
        {
            return new OneDnnIsaSetting(null, "not capped: this CPU reports its caches");
        }

        if (Environment.GetEnvironmentVariable(DisableVariable) == "1")
        {
            return new OneDnnIsaSetting(null, $"not capped ({DisableVariable}=1), although {problem}: convolution gradients may be wrong");
        }

        // .NET keeps its own copy of the environment on Unix; oneDNN reads the C library's.
        if (OperatingSystem.IsLinux() && setenv(IsaVariable, CappedIsa, overwrite: 0) != 0)
        {
            return new OneDnnIsaSetting(null, $"could not set {IsaVariable}={CappedIsa} although {problem}: set it in the environment");
        }

        return new OneDnnIsaSetting(
            CappedIsa,
            $"capped by HotDistance because {problem}, with which oneDNN's AVX-512 convolutions compute wrong gradients ({DisableVariable}=1 lifts the cap)");
    }

    private static string? NativeValue(string name)
    {
        if (!OperatingSystem.IsLinux())
        {
            return Environment.GetEnvironmentVariable(name);
        }

        var pointer = getenv(name);
        return pointer == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(pointer);
    }

    private static string Vendor(int b, int d, int c)
    {
        Span<byte> bytes = stackalloc byte[12];
        BitConverter.TryWriteBytes(bytes[..4], b);
        BitConverter.TryWriteBytes(bytes[4..8], d);
        BitConverter.TryWriteBytes(bytes[8..], c);
        return System.Text.Encoding.ASCII.GetString(bytes);
    }

[LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr getenv(string name);
}
