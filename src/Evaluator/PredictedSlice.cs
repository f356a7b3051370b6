namespace HotDistance.Evaluator;

/// <summary>
/// A model's post-processed prediction on the middle Z slice of one held-out crop (<see cref="CropName"/>, as in
/// the score report's per-crop rows), per predicted class.
/// </summary>
public sealed record PredictedSlice(string CropName, IReadOnlyDictionary<string, LabelSlice> Classes);
