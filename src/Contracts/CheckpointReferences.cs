namespace HotDistance.Contracts;

/// <summary>
/// How messages name a checkpoint: never a path to follow, but a reference the receiver resolves itself. A trained
/// checkpoint is <c>generations/&lt;generation id&gt;/&lt;variant&gt;/final</c>, relative to the receiver's own
/// workspace; a registered model version is MLflow's <c>models:/&lt;name&gt;/&lt;version&gt;</c>.
/// </summary>
public static class CheckpointReferences
{
    public const string GenerationsFolder = "generations";

    /// <summary>The folder, inside a variant's folder, that holds its finished checkpoint.</summary>
    public const string FinalFolder = "final";

    public static string Trained(string generationId, string variant) => $"{GenerationsFolder}/{generationId}/{variant}/{FinalFolder}";

    public static string Registered(string modelName, int version) => $"models:/{modelName}/{version}";

    /// <summary>
    /// The generation and variant of a trained checkpoint's reference: exactly
    /// <c>generations/&lt;id&gt;/&lt;id&gt;/final</c> with both ids following <see cref="Identifiers"/>' rule.
    /// </summary>
    public static bool TryParseTrained(string? reference, out string generationId, out string variant)
    {
        generationId = variant = string.Empty;
        var parts = reference?.Split('/');
        if (parts is not [GenerationsFolder, var generation, var name, FinalFolder]
            || !Identifiers.IsValid(generation)
            || !Identifiers.IsValid(name))
        {
            return false;
        }

        (generationId, variant) = (generation, name);
        return true;
    }
}
