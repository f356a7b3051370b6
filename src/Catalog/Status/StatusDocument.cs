using System.Text.Json;
using System.Text.Json.Nodes;
using HotDistance.Core.Registry;

namespace HotDistance.Catalog.Status;

/// <summary>
/// The status as one JSON document: <c>hd status --json</c> prints it and the dashboard serves it, so both show the
/// same figures under the same names.
/// </summary>
public static class StatusDocument
{
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    /// <param name="exists">False for a SQLite catalog no role has created yet (<paramref name="status"/> is then empty).</param>
    /// <param name="registryProblem">Why the registry did not answer, already redacted; null when it did.</param>
    public static JsonObject Create(CatalogStatus status, string catalog, bool exists, ModelVersion? registryChampion, string? registryProblem)
    {
        ArgumentNullException.ThrowIfNull(status);
        var document = new JsonObject { ["catalog"] = catalog, ["exists"] = exists };
        foreach (var (key, value) in JsonSerializer.SerializeToNode(status, JsonOptions)!.AsObject().ToList())
        {
            document[key] = value?.DeepClone();
        }

        document["registry_champion"] = registryChampion is { } alias
            ? new JsonObject { ["model_name"] = alias.ModelName, ["version"] = alias.Version, ["sha256"] = alias.Sha256 }
            : null;
        document["registry_problem"] = registryProblem is null ? null : RegistryProblem(registryProblem);
        return document;
    }

    public static string RegistryProblem(string problem) => $"the registry did not say who the champion is ({problem})";
}
