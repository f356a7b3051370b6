using System.Globalization;

namespace HotDistance.Mlflow;

/// <summary>MLflow's limit on a tag's value (runs and model versions), and values cut to it.</summary>
internal static class MlflowTagValues
{
    public const int MaxLength = 5000;

    /// <summary>Tag values over the limit are cut, with a note saying so (a run's artifacts are untouched).</summary>
    public static Dictionary<string, string> Limited(IReadOnlyDictionary<string, string> tags)
    {
        var limited = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in tags)
        {
            if (value.Length <= MaxLength)
            {
                limited[key] = value;
                continue;
            }

            var note = string.Create(CultureInfo.InvariantCulture, $"… (cut from {value.Length} characters)");
            limited[key] = string.Concat(value.AsSpan(0, MaxLength - note.Length), note);
        }

        return limited;
    }
}
