namespace HotDistance.Catalog.Status;

public static class PromotionOutcomes
{
    public const string Promoted = "promoted";
    public const string Declined = "declined";
}
