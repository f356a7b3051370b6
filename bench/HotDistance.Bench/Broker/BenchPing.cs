namespace HotDistance.Bench.Broker;

/// <summary>The message both throughput sides send: small, like the pipeline's progress events.</summary>
public sealed record BenchPing(int Sequence, DateTimeOffset SentAt, string Runner);
