using System.Reflection;
using HotDistance.Learning.Runtime;

namespace HotDistance.Tests.Runtime;

/// <summary>Paths of the real TorchSharp natives the runtime tests work on.</summary>
internal static class TorchNativeFiles
{
    /// <summary>libLibTorchSharp.so as restored in the NuGet global packages folder (the pristine original).</summary>
    public static string NuGetLibTorchSharp()
    {
        var version = typeof(TorchRuntime).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == "HotDistance.TorchSharpPackageVersion")
            .Value!;
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var path = Path.Combine(packages, "torchsharp", version, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(path), $"TorchSharp {version} is not restored at {path}");
        return path;
    }
}
