using HotDistance.Core;

namespace HotDistance.Core.Security;

/// <summary>
/// Input from outside this process (a message, a file it names) that is refused for good because it cannot be
/// trusted: retrying would refuse it the same way, so it is never retried, and a consumer that meets it records a
/// security event. <see cref="Subject"/> names what the input was about.
/// </summary>
public class UntrustedInputException : Exception, IPermanentFailure
{
    public UntrustedInputException()
    {
        Subject = string.Empty;
    }

    public UntrustedInputException(string message)
        : this(string.Empty, message)
    {
    }

    public UntrustedInputException(string message, Exception innerException)
        : base(message, innerException)
    {
        Subject = string.Empty;
    }

    public UntrustedInputException(string subject, string message)
        : base(message)
    {
        Subject = subject;
    }

    public string Subject { get; }
}
