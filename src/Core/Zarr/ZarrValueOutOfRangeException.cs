namespace HotDistance.Core.Zarr;

/// <summary>
/// A stored value does not fit the element type it was read (or written) as, e.g. a uint64 instance id above
/// uint32's range read as <see cref="uint"/>. Separate from other format errors so callers can say what the
/// value means in their domain.
/// </summary>
public sealed class ZarrValueOutOfRangeException : ZarrFormatException
{
    public ZarrValueOutOfRangeException()
    {
    }

    public ZarrValueOutOfRangeException(string message)
        : base(message)
    {
    }

    public ZarrValueOutOfRangeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ZarrValueOutOfRangeException(string filePath, string field, string problem, string fix, Exception? innerException = null)
        : base(filePath, field, problem, fix, innerException)
    {
    }
}
