namespace HotDistance.Contracts;

/// <summary>
/// Segment one block of a blockwise prediction (<c>hd predict --distribute</c>). Domain key: (<see cref="Output"/>,
/// <see cref="BlockIndex"/>). The job (input, region, blocks, the model's SHA-256) is recorded in the output folder,
/// <c>Output/.hd-blocks/job.json</c>, with a copy of the model, before any block is requested; the block's done
/// record appears beside it, <c>.hd-blocks/done/BlockIndex.json</c>, which is how the requester learns it finished.
/// The folder is an absolute path that every predictor sees at the same place (a shared mount).
/// </summary>
public sealed record PredictionBlockRequested(string Output, int BlockIndex, DateTimeOffset RequestedAt);
