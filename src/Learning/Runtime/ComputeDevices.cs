using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace HotDistance.Learning.Runtime;

/// <summary>
/// Picks where training and inference run. "auto" takes the GPU when this build carries the CUDA backend and
/// a GPU answers (torch.cuda.is_available()), else the CPU; "cpu" forces the CPU; "cuda" or "cuda:N" insists
/// on a GPU. The choice comes from the configuration (key <c>device</c>, or HD_DEVICE), so a whole pipeline can be
/// moved by one setting.
/// </summary>
public static class ComputeDevices
{
    public const string Auto = "auto";
    public const string Cpu = "cpu";
    public const string Cuda = "cuda";

    /// <summary>The names a device may be given, for messages.</summary>
    public const string Names = "auto, cpu, cuda or cuda:N (a GPU index)";

    /// <summary>Whether <paramref name="name"/> names a device (without loading torch, so a configuration can be checked at start).</summary>
    public static bool IsName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var trimmed = name.Trim();
        return string.Equals(trimmed, Auto, StringComparison.OrdinalIgnoreCase) || string.Equals(trimmed, Cpu, StringComparison.OrdinalIgnoreCase) || IsCudaName(trimmed);
    }

    /// <summary>The device <paramref name="choice"/> names (null or empty: auto). Loads torch.</summary>
    /// <exception cref="ArgumentException">The choice is not auto, cpu, cuda or cuda:N.</exception>
    /// <exception cref="TorchUnavailableException">A GPU was demanded and none is available.</exception>
    public static Device Select(string? choice = null)
    {
        var name = (choice ?? Auto).Trim();
        if (name.Length > 0 && !IsName(name))
        {
            throw new ArgumentException($"device '{name}' is not one of {Names}");
        }

        // Even torch.CPU is a member of TorchSharp's torch class, whose first use must follow EnsureLoaded.
        TorchRuntime.EnsureLoaded();
        if (name.Length == 0 || string.Equals(name, Auto, StringComparison.OrdinalIgnoreCase))
        {
            return cuda.is_available() ? CUDA : CPU;
        }

        if (string.Equals(name, Cpu, StringComparison.OrdinalIgnoreCase))
        {
            return CPU;
        }

        if (!cuda.is_available())
        {
            throw new TorchUnavailableException(
                $"device '{name}' asks for a GPU, but torch sees none (backend '{TorchBuildInfo.Current.Backend}'): build with -p:TorchBackend=cuda on a machine with an NVIDIA driver, or use --device cpu / HD_DEVICE=cpu");
        }

        if (name.Length == Cuda.Length)
        {
            return CUDA;
        }

        var index = int.Parse(name.AsSpan(Cuda.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture);
        return index < cuda.device_count()
            ? new Device(DeviceType.CUDA, index)
            : throw new TorchUnavailableException($"device '{name}': there are only {cuda.device_count()} GPU(s), numbered from 0");
    }

    /// <summary>"cpu" or "cuda[:N]": how <paramref name="device"/> is named in messages.</summary>
    public static string Describe(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return device.type == DeviceType.CUDA
            ? device.index >= 0 ? $"{Cuda}:{device.index}" : Cuda
            : Cpu;
    }

    /// <summary>Whether <paramref name="tensor"/> lives on <paramref name="device"/> (index -1: any GPU of that type).</summary>
    public static bool Holds(Device device, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(tensor);
        return tensor.device_type == device.type && (device.type != DeviceType.CUDA || device.index < 0 || tensor.device_index == device.index);
    }

    private static bool IsCudaName(string name) =>
        name.StartsWith(Cuda, StringComparison.OrdinalIgnoreCase)
        && (name.Length == Cuda.Length
        || (name[Cuda.Length] == ':' && name.Length > Cuda.Length + 1 && name.Length < Cuda.Length + 4 && name[(Cuda.Length + 1)..].All(char.IsAsciiDigit)));
}
