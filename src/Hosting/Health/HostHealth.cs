namespace HotDistance.Hosting.Health;

/// <summary>
/// A host's health as it last wrote it (<see cref="HostSettings.HealthFile"/>): when, overall, and each check
/// (the bus, the workspace, the registry) with what it said.
/// </summary>
public sealed record HostHealth(DateTimeOffset CheckedAt, bool Healthy, IReadOnlyList<HostHealthCheck> Checks);

public sealed record HostHealthCheck(string Name, bool Healthy, string Description);
