using HotDistance.Core.Volumes;

namespace HotDistance.Core.Crops;

/// <summary>
/// One annotated class of a crop. <see cref="Mask"/> uses <see cref="LabelValues"/> (0 absent, 1 present,
/// 255 unknown). Instance classes also keep their instance ids (0 is background); the mask is then id &gt; 0.
/// </summary>
public sealed record ClassLabels(string ClassName, Volume<byte> Mask, Volume<uint>? Instances = null)
{
    public bool IsInstance => Instances is not null;
}
