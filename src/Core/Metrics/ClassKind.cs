namespace HotDistance.Core.Metrics;

/// <summary>How a class is scored: semantic classes by pooled IoU, instance classes by the combined instance score.</summary>
public enum ClassKind
{
    Semantic,
    Instance,
}
