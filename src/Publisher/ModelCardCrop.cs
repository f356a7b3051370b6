namespace HotDistance.Publisher;

/// <summary>A crop a promoted model was trained on: its id and the hash of its content.</summary>
public sealed record ModelCardCrop(string CropId, string ContentHash);
