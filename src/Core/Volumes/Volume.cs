namespace HotDistance.Core.Volumes;

/// <summary>A dense 3D array in C order (Z slowest, X fastest).</summary>
public sealed class Volume<T> where T : unmanaged
{
    public Volume(Shape3 shape)
        : this(shape, new T[checked((int)shape.Count)])
    {
    }

    public Volume(Shape3 shape, T[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.LongLength != shape.Count)
        {
            throw new ArgumentException($"data holds {data.LongLength} values, shape {shape} needs {shape.Count}", nameof(data));
        }

        Shape = shape;
        Data = data;
    }

    public Shape3 Shape { get; }

    public T[] Data { get; }

    public T this[int z, int y, int x]
    {
        get => Data[Shape.Index(z, y, x)];
        set => Data[Shape.Index(z, y, x)] = value;
    }

    public Volume<T> Clone() => new(Shape, (T[])Data.Clone());
}
