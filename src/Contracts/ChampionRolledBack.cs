namespace HotDistance.Contracts;

/// <summary>
/// The champion alias was moved back by hand (<c>hd rollback</c>) from <see cref="FromVersion"/> to
/// <see cref="Version"/>; inference sites follow it as they follow a promotion. <see cref="Reason"/> says why.
/// </summary>
public sealed record ChampionRolledBack(
    string ModelName,
    int Version,
    int FromVersion,
    string Sha256,
    string Reason,
    DateTimeOffset RolledBackAt);
