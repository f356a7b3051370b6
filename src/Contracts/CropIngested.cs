namespace HotDistance.Contracts;

/// <summary>
/// A crop passed validation and is in the crop store. <see cref="StorePath"/> is relative to the workspace (hosts
/// mount it where they like). Domain key: <see cref="ContentHash"/>.
/// </summary>
public sealed record CropIngested(
    string CropId,
    string ContentHash,
    string Name,
    string Split,
    IReadOnlyList<string> Classes,
    IReadOnlyList<int> Shape,
    IReadOnlyList<double> VoxelSizeNm,
    string StorePath,
    DateTimeOffset IngestedAt);
