using System.Globalization;
using System.Text.Json;
using HotDistance.Core.Hashing;
using HotDistance.Core.Registry;

namespace HotDistance.Learning.Checkpoints;

/// <summary>
/// Checks a registered model before anyone uses it (an inference site, the evaluator scoring the champion,
/// <c>hd predict</c>): the weights' SHA-256 must equal the registry's record of the version and the checkpoint's
/// own record (checkpoint.json), so neither a damaged transfer nor a file altered in the registry is used.
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

    /// <summary>
    /// Downloads <paramref name="version"/> to <paramref name="target"/> through a hidden staging folder beside
    /// it, verifies it, and renames it into place (replacing a damaged copy; keeping a good one another process
    /// put there first). Returns why the download was refused, or null; a refused download leaves nothing behind.
    /// </summary>
    public static async Task<string?> DownloadVerifiedAsync(IModelRegistry registry, ModelVersion version, string target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(version);
        var parent = Path.GetDirectoryName(Path.GetFullPath(target))!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, string.Create(CultureInfo.InvariantCulture, $".{Path.GetFileName(target)}.partial-{Guid.NewGuid():N}"));
        try
        {
            try
            {
                await registry.DownloadAsync(version.ModelName, version.Version, staging, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException refused)
            {
                return refused.Message; // the registry's own check (MLflow's: the weights' SHA-256, the listing's names)
            }

            if (Problem(staging, version.Sha256) is { } problem)
            {
                return problem;
            }

            if (Directory.Exists(target))
            {
                if (Problem(target, version.Sha256) is null)
                {
                    return null;
                }

                Directory.Delete(target, recursive: true);
            }

            Directory.Move(staging, target);
            return null;
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }
}
