namespace HotDistance.Contracts;

/// <summary>A crop failed validation; it sits in quarantine with a reason file.</summary>
public sealed record CropRejected(string Source, string Reason, string QuarantinePath, DateTimeOffset RejectedAt);
