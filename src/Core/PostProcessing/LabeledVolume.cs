using HotDistance.Core.Volumes;

namespace HotDistance.Core.PostProcessing;

/// <summary>Instance ids 1..<see cref="Count"/> (0 is background) and how many there are.</summary>
public sealed record LabeledVolume(Volume<uint> Labels, int Count);
