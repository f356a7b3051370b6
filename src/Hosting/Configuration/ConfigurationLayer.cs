namespace HotDistance.Hosting.Configuration;

/// <summary>
/// One source of settings as keys (<c>trainer:training:steps</c>) and values, and, per key, where the value came
/// from in words a person can act on ("environment HD_TRAIN_STEPS", "--workspace", "/lab/hd.json").
/// </summary>
public sealed class ConfigurationLayer
{
    private readonly Dictionary<string, string?> values = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> origins = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyDictionary<string, string?> Values => values;

    public void Set(string key, string? value, string origin)
    {
        values[key] = value;
        origins[key] = origin;
    }

    /// <summary>Where <paramref name="key"/>'s value came from, or null when this layer does not set it.</summary>
    public string? OriginOf(string key) => origins.TryGetValue(key, out var origin) ? origin : null;
}
