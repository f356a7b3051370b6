using HotDistance.Core.Volumes;

namespace HotDistance.Core.PostProcessing;

/// <summary>
/// The post-processed prediction of one class in one crop: a binary mask (0 or 1) and, for instance classes,
/// instance ids (0 background). When <see cref="Instances"/> is null, scorers derive instances from the mask.
/// </summary>
public sealed record ClassPrediction(Volume<byte> Mask, Volume<uint>? Instances = null);
