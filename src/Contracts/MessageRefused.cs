namespace HotDistance.Contracts;

/// <summary>
/// A security event: a consumer refused a message for good because it could not be trusted (an id that is a path,
/// a checkpoint outside the workspace's generations, a SHA-256 that does not match what the trainer announced or
/// the evaluator recorded). <see cref="Subject"/> names what the message was about; <see cref="Reason"/> why it
/// was refused. Domain key: (<see cref="MessageId"/>, <see cref="Consumer"/>).
/// </summary>
public sealed record MessageRefused(
    string MessageId,
    string MessageType,
    string Consumer,
    string Subject,
    string Reason,
    DateTimeOffset RefusedAt);
