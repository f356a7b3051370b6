namespace HotDistance.Core.Crops;

public static class CropSplits
{
    public const string Train = "train";
    public const string HeldOut = "heldout";

    public static string? Parse(string? value) => value?.ToLowerInvariant() switch
    {
        null or "" or "auto" => null,
        Train => Train,
        HeldOut or "held-out" or "test" => HeldOut,
        _ => throw new ArgumentException($"split '{value}' is not one of train, heldout, auto", nameof(value)),
    };
}
