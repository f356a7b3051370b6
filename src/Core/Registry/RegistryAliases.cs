namespace HotDistance.Core.Registry;

public static class RegistryAliases
{
    public const string Champion = "champion";

    /// <summary>The champion before the current one, so a rollback has somewhere to go.</summary>
    public const string PreviousChampion = "previous-champion";

    public const string IdempotencyTag = "hd.idempotency_key";
}
