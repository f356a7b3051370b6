using System.Globalization;

namespace HotDistance.Bench.Harness;

/// <summary>Comma-separated number lists on the command line (shapes, voxel sizes).</summary>
internal static class Numbers
{
    public static int[] Ints(string text) =>
        text.Split(',').Select(part => int.Parse(part, CultureInfo.InvariantCulture)).ToArray();

    public static double[] Doubles(string text) =>
        text.Split(',').Select(part => double.Parse(part, CultureInfo.InvariantCulture)).ToArray();

    public static string Join<T>(IEnumerable<T> values) where T : IFormattable =>
        string.Join(',', values.Select(v => v.ToString(null, CultureInfo.InvariantCulture)));
}
