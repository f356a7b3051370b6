using System.Reflection;
using HotDistance.Contracts;
using HotDistance.Core.Hashing;
using HotDistance.Core.IO;
using HotDistance.Learning.Model;
using HotDistance.Learning.Tasks;
using HotDistance.Learning.Training;
using TorchSharp.Modules;

namespace HotDistance.Learning.Checkpoints;

/// <summary>
/// A checkpoint is a directory: model.pt, optimizer.pt and checkpoint.json (which records both files' SHA-256).
/// It is written under a temporary name and renamed into place, and loading verifies the hashes, so a
/// half-written or damaged checkpoint is never loaded.
/// </summary>
public static class Checkpoint
{
    public const string ModelFile = "model.pt";
    public const string OptimizerFile = "optimizer.pt";
    public const string MetadataFile = "checkpoint.json";

    public static string CodeVersion { get; } =
        typeof(Checkpoint).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>
    /// Writes a new checkpoint directory; an existing complete one at <paramref name="directory"/> is left alone
    /// and returned, a damaged one is replaced.
    /// </summary>
    public static CheckpointMetadata Save(string directory, UNet model, OptimizerHelper? optimizer, CheckpointMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(metadata);
        if (FiniteCheck.NonFiniteWeights(model) is { Count: > 0 } broken)
        {
            throw new CheckpointException(directory, $"was not written: the weights of {string.Join(", ", broken)} are not finite");
        }

        if (optimizer is not null && FiniteCheck.NonFiniteOptimizerState(optimizer) is { Count: > 0 } state)
        {
            throw new CheckpointException(directory, $"was not written: the optimiser state is not finite ({string.Join(", ", state.Take(5))}{(state.Count > 5 ? ", ..." : string.Empty)})");
        }

        if (metadata.LossHistory.Any(l => !double.IsFinite(l)))
        {
            throw new CheckpointException(directory, "was not written: its loss history holds a non-finite loss");
        }

        var parent = Path.GetDirectoryName(Path.GetFullPath(directory))!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(directory)}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(staging);
        try
        {
            var modelPath = Path.Combine(staging, ModelFile);
            model.save(modelPath);
            string? optimizerHash = null;
            if (optimizer is not null)
            {
                var optimizerPath = Path.Combine(staging, OptimizerFile);
                optimizer.save_state_dict(optimizerPath);
                optimizerHash = Sha256File.Compute(optimizerPath);
            }

            var complete = metadata with
            {
                ModelSha256 = Sha256File.Compute(modelPath),
                OptimizerSha256 = optimizerHash,
                CodeVersion = CodeVersion,
                SavedAt = DateTimeOffset.UtcNow,
            };
            AtomicFile.WriteJson(Path.Combine(staging, MetadataFile), complete);
            if (Directory.Exists(directory))
            {
                // Another attempt at the same job finished first; its checkpoint is as good as ours.
                if (ReadVerified(directory) is { } existing)
                {
                    return existing;
                }

                // A damaged one (a torn write, a bad disk) would make every resume of this job fail here: retire it.
                Discard(directory);
            }

            try
            {
                Directory.Move(staging, directory);
            }
            catch (IOException) when (ReadVerified(directory) is { } winner)
            {
                // Another attempt renamed its checkpoint into place between our check and our rename.
                return winner;
            }

            return complete;
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <summary>
    /// What a checkpoint says about itself, unverified, or null when it has no readable metadata: for showing (the
    /// dashboard's loss curves), never for loading, which goes through <see cref="ReadVerified"/>.
    /// </summary>
    public static CheckpointMetadata? ReadMetadata(string directory)
    {
        var metadataPath = Path.Combine(directory, MetadataFile);
        try
        {
            return File.Exists(metadataPath) ? AtomicFile.ReadJson<CheckpointMetadata>(metadataPath) : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>The metadata of a complete, undamaged checkpoint, or null when it is missing or damaged.</summary>
    public static CheckpointMetadata? ReadVerified(string directory)
    {
        var metadataPath = Path.Combine(directory, MetadataFile);
        var modelPath = Path.Combine(directory, ModelFile);
        if (!File.Exists(metadataPath) || !File.Exists(modelPath))
        {
            return null;
        }

        var metadata = ReadMetadata(directory);
        if (metadata is null || Sha256File.Compute(modelPath) != metadata.ModelSha256)
        {
            return null;
        }

        var optimizerPath = Path.Combine(directory, OptimizerFile);
        if (metadata.OptimizerSha256 is not null
            && (!File.Exists(optimizerPath) || Sha256File.Compute(optimizerPath) != metadata.OptimizerSha256))
        {
            return null;
        }

        return metadata;
    }

    /// <summary>
    /// Copies what inference needs of a checkpoint, the weights and <see cref="MetadataFile"/>, into
    /// <paramref name="target"/>: a registry version or a site has no use for the optimiser state (about three times
    /// the weights), so it is left out and its hash dropped from the copy's metadata. Returns the copy's metadata,
    /// verified, or null when the copy does not verify (the source changed or was damaged while it was copied).
    /// </summary>
    public static CheckpointMetadata? CopyForInference(string directory, string target)
    {
        Directory.CreateDirectory(target);
        File.Copy(Path.Combine(directory, ModelFile), Path.Combine(target, ModelFile));
        var metadata = AtomicFile.ReadJson<CheckpointMetadata>(Path.Combine(directory, MetadataFile));
        if (metadata is null)
        {
            return null;
        }

        AtomicFile.WriteJson(Path.Combine(target, MetadataFile), metadata with { OptimizerSha256 = null });
        return ReadVerified(target);
    }

    /// <summary>
    /// Records in a complete checkpoint how its output is to be segmented when deployed. Only checkpoint.json
    /// changes; the weights and their hashes stay as they are.
    /// </summary>
    public static CheckpointMetadata AttachPostProcessing(string directory, ModelPostProcessing postProcessing)
    {
        ArgumentNullException.ThrowIfNull(postProcessing);
        var metadata = ReadVerified(directory)
            ?? throw new CheckpointException(directory, "is incomplete or damaged: its post-processing cannot be recorded");
        var deployed = metadata with { PostProcessing = postProcessing };
        AtomicFile.WriteJson(Path.Combine(directory, MetadataFile), deployed);
        return deployed;
    }

    /// <summary>Rebuilds the network a checkpoint describes and loads its weights.</summary>
    public static (UNet Model, CheckpointMetadata Metadata) Load(string directory)
    {
        var metadata = ReadVerified(directory)
            ?? throw new CheckpointException(directory, $"is missing {MetadataFile} or {ModelFile}, or their hashes do not match: it is incomplete or damaged; retrain or pick another checkpoint");
        var task = SegmentationTasks.Create(metadata.Variant, metadata.DistanceLambda);
        var model = new UNet(metadata.Architecture, task.Heads(metadata.Classes.Count));
        model.load(Path.Combine(directory, ModelFile));
        return (model, metadata);
    }

    /// <summary>
    /// Removes a checkpoint that must never be used (damaged, or holding non-finite numbers), renaming it out of
    /// sight first so that no reader sees it half deleted.
    /// </summary>
    public static void Discard(string directory)
    {
        var full = Path.GetFullPath(directory);
        var retired = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.discarded");
        try
        {
            Directory.Move(directory, retired);
        }
        catch (DirectoryNotFoundException)
        {
            // Another attempt retired it first.
            return;
        }

        Directory.Delete(retired, recursive: true);
    }
}
