using HotDistance.Learning.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace HotDistance.Tests.Runtime;

public class TorchRuntimeTests
{
    [Fact]
    public void Matmul_of_known_matrices_gives_the_expected_product()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();

        var a = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        var b = tensor(new float[] { 7, 8, 9, 10, 11, 12 }, [3, 2]);
        var product = matmul(a, b);

        Assert.Equal([2L, 2L], product.shape);
        Assert.Equal([58f, 64f, 139f, 154f], product.data<float>().ToArray());
    }

    [Fact]
    public void A_tiny_conv3d_forward_has_the_expected_output_shape()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();

        using var same = nn.Conv3d(in_channels: 1, out_channels: 4, kernel_size: 3, padding: 1);
        using var valid = nn.Conv3d(in_channels: 1, out_channels: 2, kernel_size: 3);
        var input = rand([2, 1, 6, 7, 8]);

        Assert.Equal([2L, 4L, 6L, 7L, 8L], same.forward(input).shape);
        Assert.Equal([2L, 2L, 4L, 5L, 6L], valid.forward(input).shape);
    }

    [Fact]
    public void Concurrent_calls_all_succeed_and_torch_works_afterwards()
    {
        Parallel.For(0, 8, _ => TorchRuntime.EnsureLoaded());

        using var scope = NewDisposeScope();
        Assert.Equal(6f, ones(2, 3).sum().item<float>());
    }

    [Fact]
    public void Describe_reports_versions_threads_and_how_the_natives_were_loaded()
    {
        var description = TorchRuntime.Describe();

        Assert.StartsWith("2.10.0", description.LibTorchVersion, StringComparison.Ordinal);
        Assert.StartsWith("0.107.0", description.TorchSharpVersion, StringComparison.Ordinal);
        Assert.Equal("cpu", description.Backend);
        Assert.False(description.CudaAvailable);
        Assert.Equal(0, description.CudaDeviceCount);
        Assert.True(description.Threads >= 1);
        Assert.Equal(TorchNativesSource.ApplicationRuntimesFolder, description.NativesSource);
        Assert.Equal(
            Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native")),
            description.NativesDirectory);
        Assert.NotNull(description.LibStdCxxPath);
        Assert.NotNull(description.LoadedLibTorchSharp);
    }

    [Fact]
    public void The_patch_is_applied_exactly_when_the_system_libstdcxx_lacks_the_version()
    {
        var description = TorchRuntime.Describe();
        var systemHasIt = ElfVersionDefinitions.Read(File.ReadAllBytes(description.LibStdCxxPath!))
            .Contains(TorchRuntime.MissingGlibcxxVersion);

        Assert.Equal(!systemHasIt, description.LibStdCxxPatchApplied);
        if (!description.LibStdCxxPatchApplied)
        {
            return;
        }

        // The loaded copy differs from the shipped library only in the weak flag of GLIBCXX_3.4.32.
        var shipped = File.ReadAllBytes(Path.Combine(description.NativesDirectory!, "libLibTorchSharp.so"));
        ElfVersionNeeds.MarkWeak(shipped, TorchRuntime.MissingGlibcxxVersion);
        Assert.Equal(shipped, File.ReadAllBytes(description.LoadedLibTorchSharp!));
        Assert.Contains(
            File.ReadLines("/proc/self/maps"),
            line => line.EndsWith(description.LoadedLibTorchSharp!, StringComparison.Ordinal));
    }
}
