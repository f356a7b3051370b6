using System.ComponentModel.DataAnnotations;

namespace HotDistance.SiteAgent.Predictor;

/// <summary>How a predictor (<c>hd run --roles predictor</c>) segments the blocks of distributed blockwise jobs.</summary>
public sealed record PredictorSettings
{
    /// <summary>
    /// Where this predictor computes: auto, cpu, cuda or cuda:N (null: the host's <c>device</c>). A machine with several
    /// GPUs runs one predictor per GPU, each pinned to its own (<c>HD_PREDICTOR__DEVICE=cuda:1</c>).
    /// </summary>
    public string? Device { get; init; }

    /// <summary>libtorch's intra-op threads for this predictor (0: libtorch's default, every core).</summary>
    [Range(0, 1024)]
    public int TorchThreads { get; init; }

    /// <summary>
    /// Folders the outputs of jobs this predictor accepts must lie in (absolute paths); empty accepts any folder that
    /// holds a job. A block message names its output folder, and a message is input from outside.
    /// </summary>
    public IReadOnlyList<string> OutputRoots { get; init; } = [];

    /// <summary>Names this predictor in its logs and in the failures it records; null: the machine and the process id.</summary>
    public string? WorkerName { get; init; }

    /// <summary><see cref="WorkerName"/>, or the machine and process id (two predictors on one machine differ).</summary>
    public string NameOfWorker() => WorkerName ?? $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>The first problem with these settings as (key, value, what is allowed), or null.</summary>
    public (string Key, object? Value, string Allowed)? Problem() =>
        OutputRoots.FirstOrDefault(r => !Path.IsPathFullyQualified(r)) is { } relative
            ? ("predictor:outputRoots", relative, "each entry is an absolute folder, e.g. /data/segmentations")
            : null;
}
