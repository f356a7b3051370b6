using HotDistance.Learning.Runtime;
using HotDistance.SiteAgent.Blockwise;
using Microsoft.Extensions.Logging;
using TorchSharp;

namespace HotDistance.SiteAgent.Predictor;

/// <summary>
/// The model a predictor holds: loaded once per model (its weights' SHA-256 and its stored thresholds), from the copy
/// in the job's output folder, verified against the SHA-256 the job records, and kept while blocks of jobs of that
/// model keep coming; a block of another model replaces it.
/// </summary>
public sealed class PredictorModels(PredictorSettings settings, ILogger<PredictorModels> logger) : IDisposable
{
    private readonly Lock gate = new();
    private LoadedModel? current;
    private string? currentKey;

    /// <summary>Loads happened so far (a test and the logs show a job's blocks share one).</summary>
    public int Loads { get; private set; }

    public LoadedModel For(SegmentationZarrWriter output, BlockwiseJob job)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(job);
        var key = job.ModelSha256 + "\n" + job.ModelSettings;
        lock (gate)
        {
            if (current is not null && string.Equals(currentKey, key, StringComparison.OrdinalIgnoreCase))
            {
                return current;
            }

            current?.Dispose();
            current = null;
            TorchRuntime.EnsureLoaded();
            if (settings.TorchThreads > 0)
            {
                torch.set_num_threads(settings.TorchThreads);
            }

            // Checks model.pt against the job's SHA-256 (and checkpoint.json against model.pt) before reading it.
            var loaded = LoadedModel.FromDirectory(output.ModelFolder, null, job.ModelSha256, $"the job's copy in {output.ModelFolder}");
            if (BlockwiseJob.ModelSettingsOf(loaded.Metadata) != job.ModelSettings)
            {
                loaded.Dispose();
                throw new InvalidDataException($"{output.ModelFolder} stores other thresholds or intensity normalisation than {output.JobFile} records; start the job over with hd predict --force");
            }

            current = loaded;
            currentKey = key;
            Loads++;
            logger.LogInformation("predictor {Worker}: loaded model {Sha256} ({Variant}) from {Folder}", settings.NameOfWorker(), job.ModelSha256[..12], job.Variant, output.ModelFolder);
            return current;
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            current?.Dispose();
            current = null;
        }
    }
}
