namespace HotDistance.Contracts;

/// <summary>
/// Train and score one cell of an ablation (<c>hd ablate --distribute</c>). Domain key: (<see cref="AblationId"/>,
/// <see cref="CellId"/>, the cell's key). The ablation's plan (its grid and its crops) is in the shared workspace under
/// <c>ablations/AblationId</c>, written before any cell is requested; the cell's result appears beside it, in
/// <c>cells/CellId</c>, which is how the requester learns that it finished.
/// </summary>
public sealed record AblationCellRequested(string AblationId, string CellId, DateTimeOffset RequestedAt);
