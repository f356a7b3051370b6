namespace HotDistance.Contracts;

/// <summary>The names of the three model variants as they travel in messages.</summary>
public static class Variants
{
    public const string OneHot = "one-hot";
    public const string Distance = "distance";
    public const string HotDistance = "hot-distance";

    public static IReadOnlyList<string> All { get; } = [OneHot, Distance, HotDistance];
}
