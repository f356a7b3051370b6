using HotDistance.Core.Volumes;

namespace HotDistance.Core.Crops;

/// <summary>
/// An annotated crop in memory: raw intensities scaled to [0, 1] (see <see cref="RawIntensity"/>) and the labels of the classes this crop
/// annotates, all on the same voxel grid. A class missing from <see cref="Labels"/> is not annotated here,
/// which is different from annotated-and-absent.
/// </summary>
public sealed class Crop
{
    public required string Name { get; init; }

    public required Volume<float> Raw { get; init; }

    /// <summary>The stored value that <see cref="Raw"/>'s 1 stands for: 255 for uint8 raw, 65535 for uint16.</summary>
    public double RawMaximum { get; init; } = RawIntensity.UInt8Maximum;

    public required VoxelSize VoxelSize { get; init; }

    /// <summary>Physical position of voxel (0, 0, 0) in nm, (Z, Y, X).</summary>
    public double[] OffsetNm { get; init; } = [0, 0, 0];

    public required IReadOnlyDictionary<string, ClassLabels> Labels { get; init; }

    public Shape3 Shape => Raw.Shape;

    public bool Annotates(string className) => Labels.ContainsKey(className);

    /// <summary>The same crop (the same raw data, not copied) under another name or with other labels.</summary>
    public Crop With(string? name = null, IReadOnlyDictionary<string, ClassLabels>? labels = null) =>
        new()
        {
            Name = name ?? Name,
            Raw = Raw,
            RawMaximum = RawMaximum,
            VoxelSize = VoxelSize,
            OffsetNm = OffsetNm,
            Labels = labels ?? Labels,
        };
}
