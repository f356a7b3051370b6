namespace HotDistance.Core.Zarr;

/// <summary>An OME-NGFF axis: name ("z"), type ("space") and unit ("nanometer").</summary>
public sealed record OmeAxis(string Name, string? Type, string? Unit)
{
    public static IReadOnlyList<OmeAxis> SpatialZyx { get; } =
    [
        new("z", "space", "nanometer"),
        new("y", "space", "nanometer"),
        new("x", "space", "nanometer"),
    ];
}
