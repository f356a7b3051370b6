namespace HotDistance.Core.Crops;

/// <summary>CellMap's encoding of binary class arrays.</summary>
public static class LabelValues
{
    public const byte Absent = 0;
    public const byte Present = 1;
    public const byte Unknown = 255;
}
