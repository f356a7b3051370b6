namespace HotDistance.Contracts;

/// <summary>What a scored model was in its evaluation (<see cref="ModelScore.Role"/>): a generation's new model or the registry's champion.</summary>
public static class ModelRoles
{
    public const string Challenger = "challenger";
    public const string Champion = "champion";
}
