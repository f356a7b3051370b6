namespace HotDistance.Catalog.Status;

/// <summary>How many crops the pipeline holds, by split and by annotated class, and what it turned away.</summary>
public sealed record CropSummary(
    long Total,
    IReadOnlyList<SplitCount> BySplit,
    IReadOnlyList<ClassCount> ByClass,
    long Rejected,
    IReadOnlyList<RejectionEntry> LatestRejections);

public sealed record SplitCount(string Split, long Crops);

/// <summary>Crops of one split that annotate <see cref="ClassName"/>.</summary>
public sealed record ClassCount(string ClassName, string Split, long Crops);

public sealed record RejectionEntry(string Source, string Reason, string QuarantinePath, DateTimeOffset RejectedAt);
