using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace HotDistance.Learning.Runtime;

/// <summary>
/// Brings TorchSharp up in this process. Call <see cref="EnsureLoaded"/> before any <c>torch.*</c> use.
/// </summary>
/// <remarks>
/// TorchSharp 0.107's libLibTorchSharp.so asks for GLIBCXX_3.4.32 (GCC 13) for a single symbol that no
/// relocation uses; Debian 12's libstdc++ stops at 3.4.30, so the plain load fails. Where the system
/// libstdc++ lacks that version, a copy with the requirement marked weak is loaded by full path after its
/// libtorch dependencies. Its soname then matches TorchSharp's own by-name probe, and TorchSharp's
/// P/Invokes are pointed at it directly.
/// </remarks>
public static class TorchRuntime
{
    /// <summary>The symbol version GCC 13 builds require and Debian 12's libstdc++ lacks.</summary>
    public const string MissingGlibcxxVersion = "GLIBCXX_3.4.32";

    private const string BridgeName = "LibTorchSharp";

    private static readonly Lock Gate = new();
    private static volatile TorchLoadResult? _loaded;

    /// <summary>
    /// Loads libtorch and TorchSharp's native bridge once per process; later calls return at once.
    /// Thread-safe. A failed attempt is not remembered, so a later call tries again.
    /// </summary>
    /// <exception cref="TorchUnavailableException">The natives are missing or would not load; the message says why and how to fix it.</exception>
    public static void EnsureLoaded()
    {
        if (_loaded is not null)
        {
            return;
        }

        lock (Gate)
        {
            _loaded ??= Load();
        }
    }

    /// <summary>Loads torch if needed and reports versions, devices, threads and how the natives were loaded.</summary>
    /// <exception cref="TorchUnavailableException">As for <see cref="EnsureLoaded"/>.</exception>
    public static TorchRuntimeDescription Describe()
    {
        EnsureLoaded();
        var loaded = _loaded!;
        var cudaAvailable = torch.cuda.is_available();
        return new TorchRuntimeDescription(
            TorchSharpVersion(),
            torch.__version__,
            TorchBuildInfo.Current.Backend,
            cudaAvailable,
            cudaAvailable ? torch.cuda.device_count() : 0,
            torch.get_num_threads(),
            torch.get_num_interop_threads(),
            loaded.PatchApplied,
            loaded.LoadedLibTorchSharp,
            loaded.LibStdCxxPath,
            loaded.Source,
            loaded.NativesDirectory,
            loaded.OneDnnIsa);
    }

    private static TorchLoadResult Load()
    {
        var oneDnnIsa = OneDnnIsaCap.Apply();
        if (!OperatingSystem.IsLinux())
        {
            InitializeTorchSharp();
            return new TorchLoadResult(TorchNativesSource.TorchSharpLoader, null, null, PatchApplied: false, LibStdCxxPath: null, oneDnnIsa);
        }

        var natives = TorchNativeLocator.Locate(TorchBuildInfo.Current);
        var libStdCxx = LibStdCxxProbe.Check(MissingGlibcxxVersion);
        var bridge = libStdCxx.ProvidesVersion
            ? new PatchedLibrary(natives.LibTorchSharpPath, Patched: false)
            : PatchedLibraryCache.GetOrCreate(natives.LibTorchSharpPath, MissingGlibcxxVersion);

        if (bridge.Patched)
        {
            foreach (var name in TorchNativeLocator.LibTorchFileNames)
            {
                LoadByPath(Path.Combine(natives.LibTorchDirectory, name));
            }

            var handle = LoadByPath(bridge.Path);
            RouteBridgeImports(handle);
        }

        InitializeTorchSharp();
        return new TorchLoadResult(natives.Source, natives.LibTorchDirectory, bridge.Path, bridge.Patched, libStdCxx.Path, oneDnnIsa);
    }

    private static IntPtr LoadByPath(string path)
    {
        try
        {
            return NativeLibrary.Load(path);
        }
        catch (DllNotFoundException exception)
        {
            throw new TorchUnavailableException(
                $"Could not load {path}: {exception.Message}. If the file is present, a dependency or symbol version is missing " +
                "(check with `ldd` and `readelf -V`).",
                exception);
        }
    }

    /// <summary>
    /// Resolves TorchSharp's [DllImport("LibTorchSharp")] to the loaded patched copy, so the runtime never probes
    /// (and fails to load) the unpatched original sitting next to the application.
    /// </summary>
    private static void RouteBridgeImports(IntPtr bridgeHandle)
    {
        try
        {
            NativeLibrary.SetDllImportResolver(
                typeof(torch).Assembly,
                (name, _, _) => name == BridgeName ? bridgeHandle : IntPtr.Zero);
        }
        catch (InvalidOperationException)
        {
            // Someone else owns TorchSharp's resolver. Loading by soname still finds the patched copy,
            // because the dynamic loader matches "libLibTorchSharp.so" against the already-loaded library.
        }
    }

    private static void InitializeTorchSharp()
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            if (TorchBuildInfo.Current.Backend == "cuda")
            {
                // Loads libtorch_cuda when present; false (not an error) on a machine without a GPU.
                torch.TryInitializeDeviceType(DeviceType.CUDA);
            }
        }
        catch (Exception exception) when (exception is NotSupportedException or DllNotFoundException or EntryPointNotFoundException or TypeInitializationException)
        {
            throw new TorchUnavailableException(
                $"TorchSharp could not initialise libtorch: {exception.Message}{Environment.NewLine}" +
                $"Fix: run `dotnet restore` and rebuild so TorchSharp {TorchBuildInfo.Current.TorchSharpPackageVersion} and " +
                $"{TorchBuildInfo.Current.LibTorchPackageId} {TorchBuildInfo.Current.LibTorchPackageVersion} are present.",
                exception);
        }
    }

    private static string TorchSharpVersion()
    {
        var assembly = typeof(torch).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return informational?.Split('+')[0] ?? assembly.GetName().Version?.ToString() ?? "unknown";
    }
}
