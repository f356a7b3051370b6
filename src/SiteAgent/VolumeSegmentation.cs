using HotDistance.SiteAgent.Blockwise;

namespace HotDistance.SiteAgent;

/// <summary>
/// One volume of the site (<see cref="SiteSettings.Volumes"/>[<see cref="Index"/>]) segmented, or not, with model
/// <see cref="Version"/>: the outcome, why, and the blockwise run's figures when there was one.
/// </summary>
public sealed record VolumeSegmentation(int Index, SiteVolume Volume, int Version, VolumeOutcome Outcome, string Detail, BlockwiseResult? Result = null);
