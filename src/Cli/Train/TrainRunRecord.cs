using System.Globalization;
using HotDistance.Core.IO;
using HotDistance.Core.Volumes;

namespace HotDistance.Cli.Train;

/// <summary>
/// train.json in an <c>hd train</c> output folder: everything that decides what the run learns. A rerun whose
/// record is the same resumes the run there; one that differs must not, or it would mix two trainings in one
/// checkpoint series. The device is left out on purpose: checkpoints load on either, so a run started on a GPU
/// may be finished on a CPU.
/// </summary>
public sealed record TrainRunRecord(
    string Variant,
    IReadOnlyList<TrainRunCrop> Crops,
    IReadOnlyList<string> Classes,
    int Steps,
    int PatchSize,
    int BatchSize,
    double LearningRate,
    int Seed,
    string Architecture,
    string? WarmStart,
    double DistanceScaleNm,
    IReadOnlyList<string> MutuallyExclusive)
{
    public const string FileName = "train.json";

    /// <summary>The --intensity normalisation; runs recorded before it existed used the dtype range.</summary>
    public string Intensity { get; init; } = IntensityNormalization.DtypeRange.ToString();

    /// <summary>The record of the run in <paramref name="directory"/>; null when it holds none or an unreadable one.</summary>
    public static TrainRunRecord? Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return AtomicFile.ReadJson<TrainRunRecord>(path);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public void Write(string directory) => AtomicFile.WriteJson(Path.Combine(directory, FileName), this);

    /// <summary>The settings, by option name, in which <paramref name="other"/> asks for something else; empty when the runs are the same.</summary>
    public IReadOnlyList<string> Differences(TrainRunRecord other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var differences = new List<string>();
        Compare(differences, "--variant", Variant, other.Variant);
        if (!(Crops ?? []).SequenceEqual(other.Crops ?? []))
        {
            differences.Add("the crops (datasets, --crop, or their content)");
        }

        Compare(differences, "--classes", string.Join(",", Classes ?? []), string.Join(",", other.Classes ?? []));
        Compare(differences, "--steps", Steps, other.Steps);
        Compare(differences, "--patch", PatchSize, other.PatchSize);
        Compare(differences, "--batch", BatchSize, other.BatchSize);
        Compare(differences, "--lr", LearningRate.ToString("R", CultureInfo.InvariantCulture), other.LearningRate.ToString("R", CultureInfo.InvariantCulture));
        Compare(differences, "--seed", Seed, other.Seed);
        Compare(differences, "--arch", Architecture, other.Architecture);
        Compare(differences, "--intensity", Intensity, other.Intensity);
        Compare(differences, "--warm-start", WarmStart ?? "none", other.WarmStart ?? "none");
        Compare(differences, "distance scale", DistanceScaleNm.ToString("R", CultureInfo.InvariantCulture), other.DistanceScaleNm.ToString("R", CultureInfo.InvariantCulture));
        Compare(differences, "exclusive classes", string.Join(",", MutuallyExclusive ?? []), string.Join(",", other.MutuallyExclusive ?? []));
        return differences;
    }

    private static void Compare<T>(List<string> differences, string name, T mine, T theirs)
        where T : IEquatable<T>
    {
        if (!mine.Equals(theirs))
        {
            differences.Add(string.Create(CultureInfo.InvariantCulture, $"{name} ({mine}, now {theirs})"));
        }
    }
}

/// <summary>A crop an <c>hd train</c> run learns from: dataset/crop name and content hash.</summary>
public sealed record TrainRunCrop(string Name, string ContentHash);
