namespace HotDistance.Learning.Checkpoints;

/// <summary>A crop a model was trained on, by id and content hash, so anyone can say what it learned from.</summary>
public sealed record CropLineage(string CropId, string ContentHash);
