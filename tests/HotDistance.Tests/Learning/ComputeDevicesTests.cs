using HotDistance.Learning.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace HotDistance.Tests.Learning;

public class ComputeDevicesTests
{
    [Fact]
    public void Auto_takes_the_gpu_exactly_when_torch_sees_one_and_cpu_always_means_the_cpu()
    {
        TorchRuntime.EnsureLoaded();

        Assert.Equal(cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU, ComputeDevices.Select("auto").type);
        Assert.Equal(DeviceType.CPU, ComputeDevices.Select("cpu").type);
        Assert.Equal(DeviceType.CPU, ComputeDevices.Select(" CPU ").type);
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda0")]
    [InlineData("cuda:")]
    [InlineData("cuda:x")]
    public void A_name_that_is_no_device_is_refused_with_the_accepted_names(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => ComputeDevices.Select(name));

        Assert.Contains("auto, cpu, cuda or cuda:N", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Demanding_a_gpu_where_there_is_none_says_how_to_get_one_or_use_the_cpu()
    {
        TorchRuntime.EnsureLoaded();
        if (cuda.is_available())
        {
            Assert.Equal(DeviceType.CUDA, ComputeDevices.Select("cuda").type);
            return;
        }

        var error = Assert.Throws<TorchUnavailableException>(() => ComputeDevices.Select("cuda:0"));

        Assert.Contains("TorchBackend=cuda", error.Message, StringComparison.Ordinal);
        Assert.Contains("--device cpu", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tensor_is_held_by_its_own_device_type()
    {
        TorchRuntime.EnsureLoaded();
        using var tensor = zeros(2);

        Assert.True(ComputeDevices.Holds(CPU, tensor));
        Assert.False(ComputeDevices.Holds(new Device(DeviceType.CUDA, 0), tensor));
        Assert.Equal("cpu", ComputeDevices.Describe(CPU));
        Assert.Equal("cuda:1", ComputeDevices.Describe(new Device(DeviceType.CUDA, 1)));
    }
}
