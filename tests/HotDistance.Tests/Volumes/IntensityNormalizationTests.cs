using HotDistance.Core.IO;
using HotDistance.Core.Volumes;

namespace HotDistance.Tests.Volumes;

public sealed class IntensityNormalizationTests
{
    private const double TwelveBitMaximum = 4095;

    [Fact]
    public void The_dtype_range_hands_the_raw_over_unchanged()
    {
        var raw = RawIntensity.FromUInt8(new Shape3(1, 1, 3), [0, 128, 255]);

        Assert.Same(raw, IntensityNormalization.DtypeRange.Apply(raw, RawIntensity.UInt8Maximum));
        Assert.Equal((0.0, 1.0), IntensityNormalization.DtypeRange.Window(raw, RawIntensity.UInt8Maximum));
    }

    [Fact]
    public void Percentiles_map_their_ranks_onto_0_and_1_and_clip_the_tails()
    {
        // 1000 voxels holding 0..999 once each: the 1st percentile (nearest rank 10) is 9, the 99th (rank 990) is 989.
        var values = Enumerable.Range(0, 1000).Select(v => (ushort)v).ToArray();
        var raw = RawIntensity.FromUInt16(new Shape3(10, 10, 10), values);

        var normalization = IntensityNormalization.Percentiles(1, 99);
        var (low, high) = normalization.Window(raw, RawIntensity.UInt16Maximum);
        var input = normalization.Apply(raw, RawIntensity.UInt16Maximum).Data;

        Assert.Equal(9, low * RawIntensity.UInt16Maximum, 6);
        Assert.Equal(989, high * RawIntensity.UInt16Maximum, 6);
        Assert.Equal(0f, input[0]);
        Assert.Equal(0f, input[9]);
        Assert.Equal(0.5f, input[499], 5);
        Assert.Equal(1f, input[989], 5);
        Assert.Equal(1f, input[999]);
        Assert.All(input, v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void Twelve_bit_raw_stored_as_uint16_reaches_the_model_as_the_same_data_stored_as_uint8_does()
    {
        var (eightBit, twelveBit) = SameDataAtTwoDepths(seed: 5);

        var percentiles = IntensityNormalization.Percentiles();
        var fromEight = percentiles.Apply(eightBit, RawIntensity.UInt8Maximum).Data;
        var fromTwelve = percentiles.Apply(twelveBit, RawIntensity.UInt16Maximum).Data;
        var largest = fromEight.Zip(fromTwelve, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(largest < 0.02f, $"percentile-normalised 8-bit and 12-bit copies differ by up to {largest}");
        Assert.True(fromTwelve.Max() - fromTwelve.Min() > 0.95f, "percentiles must stretch the 12-bit raw over [0, 1]");

        // The window of a 12-bit camera, in its stored values, does the same.
        var window = IntensityNormalization.MinMax(0, TwelveBitMaximum).Apply(twelveBit, RawIntensity.UInt16Maximum).Data;
        Assert.True(window.Zip(eightBit.Data, (a, b) => Math.Abs(a - b)).Max() < 1e-3f);

        // What the dtype range did to it: everything below 1/16 of the input range.
        Assert.True(IntensityNormalization.DtypeRange.Apply(twelveBit, RawIntensity.UInt16Maximum).Data.Max() <= TwelveBitMaximum / RawIntensity.UInt16Maximum + 1e-6);
    }

    [Fact]
    public void A_window_beyond_the_raw_type_is_refused_with_the_units_to_use()
    {
        var raw = RawIntensity.FromUInt8(new Shape3(1, 1, 2), [10, 200]);

        var error = Assert.Throws<ArgumentException>(() => IntensityNormalization.MinMax(300, 3900).Apply(raw, RawIntensity.UInt8Maximum));

        Assert.Contains("minmax:300,3900", error.Message, StringComparison.Ordinal);
        Assert.Contains("0-255 for uint8", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dtype")]
    [InlineData("percentiles:0.5,99.5")]
    [InlineData("percentiles:2,98")]
    [InlineData("minmax:100,3900")]
    public void The_written_form_reads_back_as_the_same_normalisation(string text)
    {
        var parsed = IntensityNormalization.Parse(text, "--intensity");

        Assert.Equal(text, parsed.ToString());
        Assert.Equal(parsed, IntensityNormalization.Parse(parsed.ToString(), "--intensity"));
    }

    [Fact]
    public void Percentiles_without_bounds_are_the_robust_default()
    {
        Assert.Equal(IntensityNormalization.Percentiles(0.5, 99.5), IntensityNormalization.Parse("percentiles", "--intensity"));
    }

    [Theory]
    [InlineData("gamma")]
    [InlineData("minmax")]
    [InlineData("minmax:5")]
    [InlineData("minmax:3900,100")]
    [InlineData("minmax:-1,100")]
    [InlineData("percentiles:99,1")]
    [InlineData("percentiles:0,101")]
    [InlineData("dtype:0,1")]
    public void A_bad_normalisation_names_the_source_the_value_and_the_syntax(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => IntensityNormalization.Parse(text, "HD_INTENSITY"));

        Assert.Contains($"HD_INTENSITY='{text}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(IntensityNormalization.Syntax, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_normalisation_survives_a_json_file_by_name()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "intensity.json");
        var normalization = IntensityNormalization.Percentiles(1, 99);

        AtomicFile.WriteJson(path, normalization);

        Assert.Contains("\"Percentiles\"", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Equal(normalization, AtomicFile.ReadJson<IntensityNormalization>(path));
    }

    /// <summary>A smooth, narrow-histogram volume as uint8, and the same values as 12-bit data in uint16.</summary>
    internal static (Volume<float> EightBit, Volume<float> TwelveBit) SameDataAtTwoDepths(int seed)
    {
        var random = new Random(seed);
        var shape = new Shape3(8, 16, 16);
        var eight = new byte[shape.Count];
        for (var i = 0; i < eight.Length; i++)
        {
            eight[i] = (byte)(60 + random.Next(0, 141));
        }

        var twelve = eight.Select(v => (ushort)Math.Round(v * TwelveBitMaximum / RawIntensity.UInt8Maximum)).ToArray();
        return (RawIntensity.FromUInt8(shape, eight), RawIntensity.FromUInt16(shape, twelve));
    }
}
