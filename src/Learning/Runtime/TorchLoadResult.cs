namespace HotDistance.Learning.Runtime;

/// <summary>How <see cref="TorchRuntime.EnsureLoaded"/> brought torch up; kept for <see cref="TorchRuntime.Describe"/>.</summary>
internal sealed record TorchLoadResult(
    TorchNativesSource Source,
    string? NativesDirectory,
    string? LoadedLibTorchSharp,
    bool PatchApplied,
    string? LibStdCxxPath,
    OneDnnIsaSetting OneDnnIsa);
