using HotDistance.Learning.Runtime;

namespace HotDistance.Tests.Runtime;

public sealed class TorchNativeLocatorTests : IDisposable
{
    private readonly string _empty = Directory.CreateTempSubdirectory("hd-torch-locator-").FullName;

    public void Dispose() => Directory.Delete(_empty, recursive: true);

    private static string NuGetPackages() =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(TorchNativeFiles.NuGetLibTorchSharp())!, "..", "..", "..", "..", ".."));

    [Fact]
    public void Prefers_the_application_runtimes_folder()
    {
        var natives = TorchNativeLocator.Locate(TorchBuildInfo.Current, AppContext.BaseDirectory, _empty);

        var expected = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native"));
        Assert.Equal(new TorchNatives(expected, Path.Combine(expected, "libLibTorchSharp.so"), TorchNativesSource.ApplicationRuntimesFolder), natives);
    }

    [Fact]
    public void Falls_back_to_the_nuget_packages_folder()
    {
        var natives = TorchNativeLocator.Locate(TorchBuildInfo.Current, _empty, NuGetPackages());

        Assert.Equal(TorchNativesSource.NuGetPackages, natives.Source);
        Assert.Equal(Path.GetFullPath(TorchNativeFiles.NuGetLibTorchSharp()), natives.LibTorchSharpPath);
        Assert.True(File.Exists(Path.Combine(natives.LibTorchDirectory, "libtorch_cpu.so")));
        Assert.Contains("libtorch-cpu-linux-x64", natives.LibTorchDirectory, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_natives_throw_an_exception_that_says_what_where_and_how_to_fix()
    {
        var error = Assert.Throws<TorchUnavailableException>(() => TorchNativeLocator.Locate(TorchBuildInfo.Current, _empty, _empty));

        Assert.Contains("libtorch_cpu.so", error.Message, StringComparison.Ordinal);
        Assert.Contains("libLibTorchSharp.so", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_empty, "runtimes/linux-x64/native"), error.Message, StringComparison.Ordinal);
        Assert.Contains("dotnet restore", error.Message, StringComparison.Ordinal);
        Assert.Contains("libtorch-cpu-linux-x64 2.10.0", error.Message, StringComparison.Ordinal);
        Assert.Contains("TorchSharp 0.107.0", error.Message, StringComparison.Ordinal);
    }
}
