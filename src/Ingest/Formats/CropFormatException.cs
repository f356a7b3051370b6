namespace HotDistance.Ingest.Formats;

/// <summary>
/// A crop source (TIFF stack, HDF5 file, sidecar) that cannot be read as a crop. Like ZarrFormatException, the
/// message names the file, the field and the fix.
/// </summary>
public sealed class CropFormatException : Exception
{
    public CropFormatException()
    {
    }

    public CropFormatException(string message)
        : base(message)
    {
    }

    public CropFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CropFormatException(string filePath, string field, string problem, string fix, Exception? innerException = null)
        : base($"{filePath}: field '{field}' {problem}; {fix}", innerException)
    {
        FilePath = filePath;
        Field = field;
    }

    public string? FilePath { get; }

    public string? Field { get; }
}
