namespace HotDistance.SiteAgent.Blockwise;

/// <summary>
/// Where a blockwise segmentation stands: <see cref="Done"/> of <see cref="Total"/> units of <see cref="Stage"/>
/// (blocks, or the stitching and pyramid passes), the rate of the blocks done by this process (voxels per second;
/// blocks found done are not counted, so a resumed job does not claim their speed) and the time left at that rate.
/// A distributed job also reports the blocks its predictors gave up on, with their reasons.
/// </summary>
public sealed record BlockwiseProgress(string Stage, int Done, int Total, double VoxelsPerSecond, TimeSpan? Eta, IReadOnlyList<BlockFailure>? Failures = null);
