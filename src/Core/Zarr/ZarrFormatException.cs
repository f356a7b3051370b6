namespace HotDistance.Core.Zarr;

/// <summary>
/// A Zarr store that cannot be read or written as asked. The message names the file, the field and the fix,
/// e.g. "…/.zarray: field 'order' is 'F'; only C order is supported: rewrite the array with order='C'".
/// </summary>
public class ZarrFormatException : Exception
{
    public ZarrFormatException()
    {
    }

    public ZarrFormatException(string message)
        : base(message)
    {
    }

    public ZarrFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ZarrFormatException(string filePath, string field, string problem, string fix, Exception? innerException = null)
        : base($"{filePath}: field '{field}' {problem}; {fix}", innerException)
    {
        FilePath = filePath;
        Field = field;
    }

    /// <summary>The file (or directory) the problem was found in.</summary>
    public string? FilePath { get; }

    /// <summary>The metadata field (or part of the store) at fault.</summary>
    public string? Field { get; }
}
