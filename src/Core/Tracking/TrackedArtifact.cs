namespace HotDistance.Core.Tracking;

/// <summary>
/// A file to attach to a run, read (or rendered) only by a tracker that sends it, so a disabled tracker costs
/// nothing, not even the rendering of a chart.
/// </summary>
public sealed record TrackedArtifact(string Name, Func<byte[]> Content)
{
    public static TrackedArtifact FromFile(string path) => new(Path.GetFileName(path), () => File.ReadAllBytes(path));
}
