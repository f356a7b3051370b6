namespace HotDistance.Contracts;

/// <summary>
/// Someone other than the planner (the nightly evaluation, on a regression) asks for a new generation to be
/// trained on all training crops now. It names no generation, crops or variants: the planner owns those and
/// decides. Domain key: <see cref="RequestId"/>.
/// </summary>
public sealed record RetrainingRequested(string RequestId, string Reason, string RequestedBy, DateTimeOffset RequestedAt);
