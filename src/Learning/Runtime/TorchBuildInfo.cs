using System.Reflection;

namespace HotDistance.Learning.Runtime;

/// <summary>
/// Build-time facts baked into this assembly by HotDistance.Learning.csproj (AssemblyMetadata items):
/// the torch backend switch and the package ids/versions whose natives the runtime looks for.
/// </summary>
internal sealed record TorchBuildInfo(string Backend, string TorchSharpPackageVersion, string LibTorchPackageId, string LibTorchPackageVersion)
{
    public static TorchBuildInfo Current { get; } = Read();

    private static TorchBuildInfo Read()
    {
        var metadata = typeof(TorchBuildInfo).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .Where(attribute => attribute.Key.StartsWith("HotDistance.", StringComparison.Ordinal))
            .ToDictionary(attribute => attribute.Key, attribute => attribute.Value ?? string.Empty, StringComparer.Ordinal);

        string Get(string key) => metadata.TryGetValue("HotDistance." + key, out var value) ? value : string.Empty;

        return new TorchBuildInfo(
            Get("TorchBackend"),
            Get("TorchSharpPackageVersion"),
            Get("LibTorchPackageId"),
            Get("LibTorchPackageVersion"));
    }
}
