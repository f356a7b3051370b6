using HotDistance.Contracts;
using HotDistance.Core.Security;
using HotDistance.Core.Workspace;

namespace HotDistance.Learning.Checkpoints;

/// <summary>
/// The one way a role turns a checkpoint reference from a message into a folder it reads: only a checkpoint this
/// pipeline's trainers wrote (a folder under the workspace's generations, with no link in it or on the way to it)
/// whose checkpoint.json verifies and whose weights have the SHA-256 the sender vouched for. Anything else is an
/// <see cref="UntrustedInputException"/>: refused for good and recorded as a security event. A checkpoint that is
/// not there (yet) is an ordinary failure, retried: on a shared mount it may appear.
/// </summary>
public static class TrainedCheckpoints
{
    public static (string Directory, CheckpointMetadata Metadata) Resolve(WorkspaceLayout workspace, string reference, string expectedSha256)
    {
        var directory = Locate(workspace, reference);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"checkpoint {reference} is not in the workspace ({directory})");
        }

        var metadata = Checkpoint.ReadVerified(directory)
            ?? throw Refused(reference, $"does not verify: {Checkpoint.MetadataFile} or {Checkpoint.ModelFile} is missing, or their hashes do not match");
        if (!string.Equals(metadata.ModelSha256, expectedSha256, StringComparison.Ordinal))
        {
            throw Refused(reference, $"has weights with SHA-256 {metadata.ModelSha256}, not the {Shown(expectedSha256)} the message vouches for");
        }

        return (directory, metadata);
    }

    /// <summary>
    /// The folder a trained checkpoint's reference names in this workspace, which may not exist (yet); a reference
    /// that is not one, or a link on the way, is refused.
    /// </summary>
    public static string Locate(WorkspaceLayout workspace, string reference)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (!CheckpointReferences.TryParseTrained(reference, out var generationId, out var variant))
        {
            throw Refused(reference, $"is not a trained checkpoint's reference ({CheckpointReferences.Trained("<generation>", "<variant>")})");
        }

        var directory = Path.Combine(workspace.Checkpoint(generationId, variant), CheckpointReferences.FinalFolder);
        if (Linked(workspace, directory) is { } link)
        {
            throw Refused(reference, $"holds a link ({link}); only checkpoints the trainers wrote under {workspace.Generations} are used");
        }

        return directory;
    }

    private static UntrustedInputException Refused(string? reference, string problem) =>
        new(reference ?? string.Empty, $"checkpoint {reference} {problem}: refused");

    /// <summary>
    /// The first link among the folders from generations/ down to the checkpoint, or inside it (any entry that is
    /// not a regular file or folder, as <see cref="InputEntries"/> finds them), if any.
    /// </summary>
    private static string? Linked(WorkspaceLayout workspace, string directory)
    {
        for (var folder = Path.GetDirectoryName(directory)!; WorkspaceLayout.IsUnder(workspace.Generations, folder); folder = Path.GetDirectoryName(folder)!)
        {
            if (new DirectoryInfo(folder).LinkTarget is not null)
            {
                return folder;
            }
        }

        return InputEntries.FindIn(directory)?.Path;
    }

    private static string Shown(string? sha256) => string.IsNullOrEmpty(sha256) ? "(none)" : sha256.Length > 64 ? sha256[..64] + "..." : sha256;
}
