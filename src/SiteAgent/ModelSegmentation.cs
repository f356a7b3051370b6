using HotDistance.Core.PostProcessing;

namespace HotDistance.SiteAgent;

/// <summary>A model's post-processed output over one crop: per class a mask, and instance ids for instance classes.</summary>
public sealed record ModelSegmentation(
    string Variant,
    int? ModelVersion,
    IReadOnlyList<string> ClassOrder,
    IReadOnlyDictionary<string, ClassPrediction> Classes);
