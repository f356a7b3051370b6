namespace HotDistance.Core.Targets;

/// <summary>Where a class's targets in one crop came from.</summary>
public enum ClassTargetSource
{
    /// <summary>The crop annotates the class: both channels carry weights.</summary>
    Annotated,

    /// <summary>
    /// Not annotated, but voxels of a mutually exclusive annotated class are true negatives of the one-hot
    /// channel; the distance channel has weight 0.
    /// </summary>
    ExclusionNegatives,

    /// <summary>Not annotated and nothing known: weight 0 on both channels.</summary>
    NotAnnotated,
}
