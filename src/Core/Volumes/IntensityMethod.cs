using System.Text.Json.Serialization;

namespace HotDistance.Core.Volumes;

/// <summary>How <see cref="IntensityNormalization"/> chooses the intensity window that becomes [0, 1].</summary>
[JsonConverter(typeof(JsonStringEnumConverter<IntensityMethod>))]
public enum IntensityMethod
{
    /// <summary>The stored type's whole range: 0 to 255 for uint8, 0 to 65535 for uint16.</summary>
    DtypeRange,

    /// <summary>Percentiles of the volume's own intensities, e.g. 0.5 % and 99.5 %.</summary>
    Percentiles,

    /// <summary>A window given in stored values, e.g. 100 to 3900 for 12-bit data stored as uint16.</summary>
    MinMax,
}
