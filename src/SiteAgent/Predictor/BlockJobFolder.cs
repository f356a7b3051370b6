using HotDistance.Contracts;
using HotDistance.Core.Blockwise;
using HotDistance.Core.Security;
using HotDistance.Core.Workspace;
using HotDistance.SiteAgent.Blockwise;

namespace HotDistance.SiteAgent.Predictor;

/// <summary>
/// The output folder a block message names, checked before anything in it is read: a message is input from outside,
/// so the folder must be an absolute, normalised path (no "..", nothing relative to wherever the predictor runs),
/// inside <see cref="PredictorSettings.OutputRoots"/> when those are set, and hold a job record whose block plan has the
/// block asked for. Every refusal is an <see cref="UntrustedInputException"/> naming the folder and why.
/// </summary>
public static class BlockJobFolder
{
    public static (SegmentationZarrWriter Output, BlockwiseJob Job) Open(PredictionBlockRequested request, PredictorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(settings);
        var folder = request.Output ?? string.Empty;
        UntrustedInputException Refused(string why) => new(folder, $"block {request.BlockIndex} of '{DisplayNames.Normalize(folder)}' refused: {why}");
        if (folder.Length == 0 || folder.Any(char.IsControl) || !Path.IsPathFullyQualified(folder))
        {
            throw Refused("the output folder must be an absolute path");
        }

        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        if (full != Path.TrimEndingDirectorySeparator(folder))
        {
            throw Refused($"the output folder must be a normalised path (it resolves to {full})");
        }

        if (settings.OutputRoots.Count > 0 && !settings.OutputRoots.Any(root => WorkspaceLayout.IsUnder(root, full)))
        {
            throw Refused($"it is outside the folders this predictor writes in (predictor:outputRoots: {string.Join(", ", settings.OutputRoots)})");
        }

        if (!Directory.Exists(full))
        {
            throw Refused("the output folder does not exist (is the shared folder mounted at the same place on this predictor?)");
        }

        var output = SegmentationZarrWriter.OpenExisting(full)
            ?? throw Refused($"the folder holds no blockwise job ({SegmentationZarrWriter.StateFolder}/job.json); hd predict --distribute writes it before requesting blocks");

        BlockwiseJob job;
        BlockPlan plan;
        try
        {
            job = output.ReadJob();
            plan = job.Plan();
        }
        catch (Exception exception) when (exception is System.Text.Json.JsonException or InvalidDataException or ArgumentException or NullReferenceException or OverflowException)
        {
            throw Refused($"its job record {output.JobFile} cannot be read ({exception.Message})");
        }

        if (request.BlockIndex < 0 || request.BlockIndex >= plan.Count)
        {
            throw Refused($"the job has blocks 0 to {plan.Count - 1}");
        }

        return (output, job);
    }
}
