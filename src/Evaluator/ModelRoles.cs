namespace HotDistance.Evaluator;

public static class ModelRoles
{
    public const string Challenger = "challenger";
    public const string Champion = "champion";
}
