namespace HotDistance.Contracts;

/// <summary>
/// Ask the ingest role to read crops from a path it can see (a CellMap dataset .zarr). <see cref="Split"/> is
/// "train", "heldout" or null for automatic assignment.
/// </summary>
public sealed record IngestRequested(string SourcePath, string? Split, DateTimeOffset RequestedAt);
