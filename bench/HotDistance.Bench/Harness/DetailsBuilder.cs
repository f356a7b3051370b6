using System.Text.Json;

namespace HotDistance.Bench.Harness;

/// <summary>Collects a measurement's details as JSON values, so numbers stay numbers in latest.json.</summary>
internal sealed class DetailsBuilder
{
    private readonly Dictionary<string, JsonElement> values = new(StringComparer.Ordinal);

    public DetailsBuilder Add<T>(string key, T value)
    {
        values[key] = JsonSerializer.SerializeToElement(value);
        return this;
    }

    public IReadOnlyDictionary<string, JsonElement> Build() => new Dictionary<string, JsonElement>(values, StringComparer.Ordinal);
}
