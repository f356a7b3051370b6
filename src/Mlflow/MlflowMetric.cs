namespace HotDistance.Mlflow;

/// <summary>One logged value of a metric; <see cref="Timestamp"/> in milliseconds since the Unix epoch.</summary>
public sealed record MlflowMetric(string Key, double Value, long Timestamp, long Step);
