namespace HotDistance.Learning.Runtime;

/// <summary>What <c>hd doctor</c> reports about torch in this process.</summary>
/// <param name="TorchSharpVersion">The TorchSharp assembly's version, e.g. 0.107.0.</param>
/// <param name="LibTorchVersion">The libtorch version TorchSharp was built against (torch.__version__), e.g. 2.10.0.0.</param>
/// <param name="Backend">The build's torch backend switch: <c>cpu</c> or <c>cuda</c>.</param>
/// <param name="CudaAvailable">torch.cuda.is_available().</param>
/// <param name="CudaDeviceCount">torch.cuda.device_count(); 0 without CUDA.</param>
/// <param name="Threads">torch.get_num_threads(): intra-op threads.</param>
/// <param name="InteropThreads">torch.get_num_interop_threads().</param>
/// <param name="LibStdCxxPatchApplied">Whether the weak GLIBCXX_3.4.32 copy of libLibTorchSharp.so was loaded.</param>
/// <param name="LoadedLibTorchSharp">The libLibTorchSharp.so that was loaded: the patched copy or the original.</param>
/// <param name="LibStdCxxPath">The system libstdc++ that was examined; null where not examined (non-Linux) or not found.</param>
/// <param name="NativesSource">Where libtorch was found.</param>
/// <param name="NativesDirectory">The folder holding libtorch's libraries; null where TorchSharp located them itself.</param>
/// <param name="OneDnnIsa">The instruction-set cap on oneDNN's CPU kernels, and why (<see cref="OneDnnIsaCap"/>).</param>
public sealed record TorchRuntimeDescription(
    string TorchSharpVersion,
    string LibTorchVersion,
    string Backend,
    bool CudaAvailable,
    int CudaDeviceCount,
    int Threads,
    int InteropThreads,
    bool LibStdCxxPatchApplied,
    string? LoadedLibTorchSharp,
    string? LibStdCxxPath,
    TorchNativesSource NativesSource,
    string? NativesDirectory,
    OneDnnIsaSetting OneDnnIsa);
