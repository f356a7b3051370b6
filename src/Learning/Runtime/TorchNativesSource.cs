namespace HotDistance.Learning.Runtime;

/// <summary>Where the libtorch native libraries were found.</summary>
public enum TorchNativesSource
{
    /// <summary>The application's <c>runtimes/linux-x64/native</c> folder, where a build copies NuGet natives.</summary>
    ApplicationRuntimesFolder,

    /// <summary>The application's base folder (RID-specific builds and publishes flatten natives there).</summary>
    ApplicationFolder,

    /// <summary>The NuGet global packages folder: natives were never copied next to the application.</summary>
    NuGetPackages,

    /// <summary>Not located by HotDistance: TorchSharp's own loader found them (non-Linux platforms).</summary>
    TorchSharpLoader,
}
