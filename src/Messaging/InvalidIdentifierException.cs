using HotDistance.Core.Security;

namespace HotDistance.Messaging;

/// <summary>A message carries an id that breaks <c>Identifiers</c>' rule; the message is refused, never retried.</summary>
public sealed class InvalidIdentifierException : UntrustedInputException
{
    public InvalidIdentifierException()
    {
    }

    public InvalidIdentifierException(string message)
        : base(message)
    {
    }

    public InvalidIdentifierException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InvalidIdentifierException(string subject, string message)
        : base(subject, message)
    {
    }
}
