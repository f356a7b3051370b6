namespace HotDistance.Core.Zarr;

/// <summary>An OME-NGFF 0.4 multiscale image (multiscales[0] of a group's .zattrs), scales in nanometres.</summary>
public sealed record OmeMultiscale(string? Name, IReadOnlyList<OmeAxis> Axes, IReadOnlyList<OmeScaleLevel> Levels)
{
    /// <summary>The level stored at <paramref name="path"/> (e.g. "s0").</summary>
    public OmeScaleLevel? Level(string path) => Levels.FirstOrDefault(l => l.Path == path);
}
