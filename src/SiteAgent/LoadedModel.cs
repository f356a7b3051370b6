using HotDistance.Core.PostProcessing;
using HotDistance.Core.Volumes;
using HotDistance.Learning.Checkpoints;
using HotDistance.Learning.Inference;
using HotDistance.Learning.Model;
using HotDistance.Learning.Runtime;
using HotDistance.Learning.Tasks;
using static TorchSharp.torch;

namespace HotDistance.SiteAgent;

/// <summary>
/// A model held in memory for predictions. Loading reads the weights once, so a prediction that holds a
/// <see cref="LoadedModel"/> keeps using it to the end even if the site switches (and removes the files)
/// meanwhile; the next load picks up the new current model.
/// </summary>
public sealed class LoadedModel : IDisposable
{
    private LoadedModel(UNet model, CheckpointMetadata metadata, int? version, string source)
    {
        Model = model;
        Metadata = metadata;
        Version = version;
        Source = source;
    }

    public UNet Model { get; }

    public CheckpointMetadata Metadata { get; }

    /// <summary>The registry version, when the model came from the registry or a site.</summary>
    public int? Version { get; }

    /// <summary>Where the weights were read from, for messages.</summary>
    public string Source { get; }

    /// <summary>Loads the site's current model, checking it is the one current.json names.</summary>
    public static LoadedModel FromSite(SiteLayout site)
    {
        ArgumentNullException.ThrowIfNull(site);
        var pointer = site.ReadCurrent()
            ?? throw new InvalidOperationException($"site {site.Root} has no model yet: run hd site --dir {site.Root} until it has fetched the champion");
        return FromDirectory(site.ModelDirectory(pointer.Version), pointer.Version, pointer.Sha256);
    }

    /// <summary>
    /// Loads a checkpoint directory. With <paramref name="expectedSha256"/> the weights must have that checksum
    /// (the registry's record), besides matching their own checkpoint.json. <paramref name="source"/> names where
    /// the model came from in messages when the directory is a scratch copy.
    /// </summary>
    public static LoadedModel FromDirectory(string directory, int? version, string? expectedSha256, string? source = null)
    {
        if (expectedSha256 is not null && ArtifactVerifier.Problem(directory, expectedSha256) is { } problem)
        {
            throw new CheckpointException(directory, problem);
        }

        TorchRuntime.EnsureLoaded();
        var (model, metadata) = Checkpoint.Load(directory);
        return new LoadedModel(model, metadata, version, source ?? directory);
    }

    /// <summary>
    /// Predicts the whole of <paramref name="raw"/>, normalised as the model was trained, and post-processes each
    /// class with the model's own task and the thresholds stored with it (those its evaluation scored it with;
    /// defaults for a model never promoted): masks for every class, instance ids for
    /// <paramref name="instanceClasses"/>, by default the model's own.
    /// </summary>
    /// <param name="rawMaximum">The stored value <paramref name="raw"/>'s 1 stands for (<see cref="RawIntensity"/>).</param>
    /// <param name="fallbackInstanceClasses">Instance classes for a model that stores none.</param>
    /// <param name="tiling">How the crop is cut into tiles (<see cref="TilingOptions.Default"/> when null).</param>
    public ModelSegmentation Segment(Volume<float> raw, double rawMaximum, IReadOnlySet<string>? instanceClasses, IReadOnlyList<string> fallbackInstanceClasses, Device? device = null, TilingOptions? tiling = null)
    {
        ArgumentNullException.ThrowIfNull(raw);
        instanceClasses = InstanceClasses(instanceClasses, fallbackInstanceClasses);
        var prediction = CropPredictor.Predict(Model, Metadata.Intensity.Apply(raw, rawMaximum), Metadata.Classes, device, tiling);
        var classes = new Dictionary<string, ClassPrediction>(StringComparer.Ordinal);
        for (var c = 0; c < Metadata.Classes.Count; c++)
        {
            var className = Metadata.Classes[c];
            classes[className] = PostProcess(prediction, c, instanceClasses.Contains(className), OptionsFor(className));
        }

        return new ModelSegmentation(Metadata.Variant, Version, Metadata.Classes, classes);
    }

    /// <summary>The classes split into instances: <paramref name="requested"/>, else the model's own, else <paramref name="fallback"/>.</summary>
    public IReadOnlySet<string> InstanceClasses(IReadOnlySet<string>? requested, IReadOnlyList<string> fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        return requested ?? (Metadata.PostProcessing?.InstanceClasses ?? fallback).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The thresholds stored with the model for <paramref name="className"/> (defaults for a model never promoted).</summary>
    public PostProcessingOptions OptionsFor(string className) => DeployedPostProcessing.OptionsFor(Metadata.PostProcessing, className);

    /// <summary>One class of <paramref name="prediction"/> post-processed by the model's own task.</summary>
    public ClassPrediction PostProcess(Prediction prediction, int classIndex, bool withInstances, PostProcessingOptions options) =>
        SegmentationTasks.Create(Metadata.Variant, Metadata.DistanceLambda).PostProcess(prediction, classIndex, withInstances, options);

    public void Dispose() => Model.Dispose();
}
