namespace HotDistance.Evaluator;

/// <summary>
/// One class on one Z slice, row-major (Y, X). <see cref="Mask"/> holds CellMap label values for truth (0 absent,
/// 1 present, 255 unknown) and 0/1 for predictions; <see cref="Instances"/> holds instance ids (0 background)
/// when the class has them, so a picture can tell touching instances apart.
/// </summary>
public sealed record LabelSlice(byte[] Mask, uint[]? Instances = null);
