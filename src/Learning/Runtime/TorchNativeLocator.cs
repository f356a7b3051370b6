namespace HotDistance.Learning.Runtime;

/// <summary>
/// Finds libtorch and libLibTorchSharp.so on Linux: next to the application first (where a build copies
/// NuGet natives), then in the NuGet global packages folder.
/// </summary>
internal static class TorchNativeLocator
{
    public const string LibTorchSharpFileName = "libLibTorchSharp.so";

    /// <summary>Loaded in this order: each depends only on the ones before it.</summary>
    public static readonly IReadOnlyList<string> LibTorchFileNames = ["libc10.so", "libtorch_cpu.so", "libtorch.so"];

    private const string NativeSubfolder = "runtimes/linux-x64/native";

    /// <exception cref="TorchUnavailableException">Either part is missing from every candidate folder.</exception>
    public static TorchNatives Locate(TorchBuildInfo build) => Locate(build, AppContext.BaseDirectory, NuGetPackagesFolder());

    /// <inheritdoc cref="Locate(TorchBuildInfo)"/>
    internal static TorchNatives Locate(TorchBuildInfo build, string baseDirectory, string packages)
    {

        (string Directory, TorchNativesSource Source)[] libTorchCandidates =
        [
            (Path.Combine(baseDirectory, NativeSubfolder), TorchNativesSource.ApplicationRuntimesFolder),
            (baseDirectory, TorchNativesSource.ApplicationFolder),
            (Path.Combine(packages, build.LibTorchPackageId.ToLowerInvariant(), build.LibTorchPackageVersion, NativeSubfolder), TorchNativesSource.NuGetPackages),
        ];
        string[] bridgeCandidates =
        [
            Path.Combine(baseDirectory, NativeSubfolder),
            baseDirectory,
            Path.Combine(packages, "torchsharp", build.TorchSharpPackageVersion, NativeSubfolder),
        ];

        var libTorch = libTorchCandidates
            .Where(candidate => LibTorchFileNames.All(name => File.Exists(Path.Combine(candidate.Directory, name))))
            .Select(candidate => ((string Directory, TorchNativesSource Source)?)candidate)
            .FirstOrDefault();
        var bridge = bridgeCandidates
            .Select(directory => Path.Combine(directory, LibTorchSharpFileName))
            .FirstOrDefault(File.Exists);

        if (libTorch is null || bridge is null)
        {
            throw new TorchUnavailableException(MissingMessage(build, libTorch is null, bridge is null, libTorchCandidates.Select(c => c.Directory), bridgeCandidates));
        }

        return new TorchNatives(Path.GetFullPath(libTorch.Value.Directory), Path.GetFullPath(bridge), libTorch.Value.Source);
    }

    private static string NuGetPackagesFolder()
    {
        var configured = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        return string.IsNullOrEmpty(configured)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages")
            : configured;
    }

    private static string MissingMessage(
        TorchBuildInfo build, bool libTorchMissing, bool bridgeMissing, IEnumerable<string> libTorchFolders, IEnumerable<string> bridgeFolders)
    {
        var lines = new List<string> { "TorchSharp's native libraries were not found." };
        if (libTorchMissing)
        {
            lines.Add($"Looked for {string.Join(", ", LibTorchFileNames)} (package {build.LibTorchPackageId} {build.LibTorchPackageVersion}) in:");
            lines.AddRange(libTorchFolders.Select(folder => "  " + folder));
        }

        if (bridgeMissing)
        {
            lines.Add($"Looked for {LibTorchSharpFileName} (package TorchSharp {build.TorchSharpPackageVersion}) in:");
            lines.AddRange(bridgeFolders.Select(folder => "  " + folder));
        }

        lines.Add(
            $"Fix: run `dotnet restore` and rebuild so the NuGet packages TorchSharp {build.TorchSharpPackageVersion} and " +
            $"{build.LibTorchPackageId} {build.LibTorchPackageVersion} are restored and their natives copied to the output's {NativeSubfolder} folder " +
            "(set NUGET_PACKAGES if the packages live outside ~/.nuget/packages).");
        return string.Join(Environment.NewLine, lines);
    }
}
