using System.Text.Json;
using HotDistance.Core.Hashing;
using HotDistance.Learning.Checkpoints;

namespace HotDistance.SiteAgent;

/// <summary>
/// Checks a downloaded model before a site uses it: the weights' SHA-256 must equal the registry's record of
/// the version and the checkpoint's own record (checkpoint.json), so neither a damaged transfer nor a file
/// altered in the registry reaches a prediction.
/// </summary>
public static class ArtifactVerifier
{
    /// <summary>Null when the model in <paramref name="directory"/> is the one expected, else what is wrong.</summary>
    public static string? Problem(string directory, string expectedSha256)
    {
        ArgumentNullException.ThrowIfNull(expectedSha256);
        var weights = Path.Combine(directory, Checkpoint.ModelFile);
        if (!File.Exists(weights))
        {
            return $"{weights} is missing";
        }

        var actual = Sha256File.Compute(weights);
        if (!string.Equals(actual, expectedSha256, StringComparison.OrdinalIgnoreCase))
        {
            return $"{Checkpoint.ModelFile} has SHA-256 {actual} but the registry records {expectedSha256}";
        }

        var metadataPath = Path.Combine(directory, Checkpoint.MetadataFile);
        if (!File.Exists(metadataPath))
        {
            return $"{metadataPath} is missing";
        }

        try
        {
            using var metadata = JsonDocument.Parse(File.ReadAllText(metadataPath));
            var recorded = metadata.RootElement.TryGetProperty(nameof(CheckpointMetadata.ModelSha256), out var sha) ? sha.GetString() : null;
            return string.Equals(recorded, actual, StringComparison.OrdinalIgnoreCase)
                ? null
                : $"{Checkpoint.ModelFile} has SHA-256 {actual} but {Checkpoint.MetadataFile} records {recorded ?? "none"}";
        }
        catch (JsonException exception)
        {
            return $"{metadataPath} is not valid JSON ({exception.Message})";
        }
    }
}
