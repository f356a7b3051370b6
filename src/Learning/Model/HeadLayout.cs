namespace HotDistance.Learning.Model;

/// <summary>
/// Which heads sit on the shared backbone. Output channels are laid out one-hot first, then distance, each
/// with one channel per class in class order.
/// </summary>
public sealed record HeadLayout(int ClassCount, bool OneHot, bool Distance)
{
    public int DistanceOffset => OneHot ? ClassCount : 0;

    public int Channels => (OneHot ? ClassCount : 0) + (Distance ? ClassCount : 0);
}
