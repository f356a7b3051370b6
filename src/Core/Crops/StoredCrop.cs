namespace HotDistance.Core.Crops;

/// <summary>A crop's entry in the crop store (crop.json). <see cref="CropId"/> derives from <see cref="ContentHash"/>.</summary>
public sealed record StoredCrop(
    string CropId,
    string ContentHash,
    string Name,
    string Split,
    IReadOnlyList<string> Classes,
    IReadOnlyList<int> Shape,
    IReadOnlyList<double> VoxelSizeNm,
    string Path,
    DateTimeOffset IngestedAt);
