namespace HotDistance.Messaging;

/// <summary>A message carries an id that breaks <c>Identifiers</c>' rule; the message is refused, never retried.</summary>
public sealed class InvalidIdentifierException : Exception
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
}
