using HotDistance.Core.Crops;

namespace HotDistance.Learning.Training;

/// <summary>A crop to train on, with the identity that goes into the checkpoint's lineage.</summary>
public sealed record TrainingCrop(string CropId, string ContentHash, Crop Crop, bool IsNew = true);
