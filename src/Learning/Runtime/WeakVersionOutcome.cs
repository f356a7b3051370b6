namespace HotDistance.Learning.Runtime;

/// <summary>What <see cref="ElfVersionNeeds.MarkWeak"/> did to an image.</summary>
public enum WeakVersionOutcome
{
    /// <summary>The version requirement was strong and is now weak: the image changed.</summary>
    Weakened,

    /// <summary>The version requirement was already weak: the image is unchanged.</summary>
    AlreadyWeak,

    /// <summary>The image does not require the version at all: the image is unchanged.</summary>
    NotRequired,
}
