namespace HotDistance.Learning.Runtime;

/// <summary>
/// libtorch or TorchSharp's native bridge could not be found or loaded. The message says what was
/// looked for, where, and how to fix it.
/// </summary>
public sealed class TorchUnavailableException : Exception
{
    public TorchUnavailableException()
    {
    }

    public TorchUnavailableException(string message)
        : base(message)
    {
    }

    public TorchUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
