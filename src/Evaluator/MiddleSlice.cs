using HotDistance.Core.Volumes;

namespace HotDistance.Evaluator;

/// <summary>The Z slice the report shows of a crop: the middle one, the same for truth and every model.</summary>
public static class MiddleSlice
{
    public static int Z(Shape3 shape) => shape.Z / 2;

    /// <summary>A copy of the middle Z slice, row-major (Y, X).</summary>
    public static T[] Of<T>(Volume<T> volume)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(volume);
        var shape = volume.Shape;
        var plane = shape.Y * shape.X;
        return volume.Data.AsSpan(Z(shape) * plane, plane).ToArray();
    }
}
