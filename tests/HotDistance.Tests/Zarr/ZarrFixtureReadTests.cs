using System.Numerics;
using HotDistance.Core.Zarr;

namespace HotDistance.Tests.Zarr;

/// <summary>Every fixture written by zarr-python reads back exactly, whole and by region.</summary>
public class ZarrFixtureReadTests
{
    public static TheoryData<string> ArrayNames()
    {
        var data = new TheoryData<string>();
        foreach (var a in ZarrFixtures.All)
        {
            data.Add(a.Name);
        }

        return data;
    }

    [Fact]
    public void FixturesCoverEveryCompressorSeparatorAndDtype()
    {
        var compressors = new HashSet<string>();
        var separators = new HashSet<char>();
        var dtypes = new HashSet<string>();
        foreach (var a in ZarrFixtures.All)
        {
            var array = ZarrArray.Open(a.Path);
            compressors.Add(array.Metadata.Compressor?.Id ?? "none");
            separators.Add(array.Metadata.DimensionSeparator);
            dtypes.Add(array.DataType.ToZarrString());
        }

        Assert.Superset(new HashSet<string> { "none", "gzip", "zlib", "zstd", "blosc" }, compressors);
        Assert.Superset(new HashSet<char> { '.', '/' }, separators);
        Assert.Superset(new HashSet<string> { "|u1", "<u2", "<u4", "<u8", "|i1", "<i2", "<i4", "<i8", "<f4", "<f8", ">u8", ">f4" }, dtypes);
    }

    [Theory]
    [MemberData(nameof(ArrayNames))]
    public void WholeArrayMatchesZarrPython(string name)
    {
        var fixture = ZarrFixtures.Get(name);
        var array = ZarrArray.Open(fixture.Path);
        Assert.Equal(fixture.Shape, array.Shape);
        switch (fixture.DType)
        {
            case "|u1": AssertWhole<byte>(fixture, array); break;
            case "<u2": AssertWhole<ushort>(fixture, array); break;
            case "<u4": AssertWhole<uint>(fixture, array); break;
            case "<u8": AssertWhole<ulong>(fixture, array); break;
            case "|i1": AssertWhole<sbyte>(fixture, array); break;
            case "<i2": AssertWhole<short>(fixture, array); break;
            case "<i4": AssertWhole<int>(fixture, array); break;
            case "<i8": AssertWhole<long>(fixture, array); break;
            case "<f4": AssertWhole<float>(fixture, array); break;
            case "<f8": AssertWhole<double>(fixture, array); break;
            default: throw new InvalidOperationException("fixture dtype without a test mapping: " + fixture.DType);
        }
    }

    [Theory]
    [MemberData(nameof(ArrayNames))]
    public void RegionAcrossChunkBordersMatches(string name)
    {
        var fixture = ZarrFixtures.Get(name);
        var array = ZarrArray.Open(fixture.Path);
        double[] all = ReadExpectedAsDouble(fixture);

        // A region from roughly a third to two thirds of each axis: crosses chunk borders in every fixture.
        long[] start = fixture.Shape.Select(n => n / 3).ToArray();
        int[] shape = fixture.Shape.Select((n, d) => (int)Math.Max(1, (2 * n / 3) - start[d] + 1)).ToArray();
        double[] region = array.ReadRegion<double>(start, shape);

        Assert.Equal(Slice(all, fixture.Shape, start, shape), region);
    }

    [Fact]
    public void MissingChunksReadAsTheFillValue()
    {
        var ints = ZarrFixtures.Get("zstd_i4_missing_fill7");
        var array = ZarrArray.Open(ints.Path);
        Assert.False(File.Exists(Path.Combine(ints.Path, "1", "0", "1")));
        Assert.Equal(7, array.GetFillValue<int>());
        int[] values = array.Read<int>();
        // Chunk (1, 0, 1) covers z 3..5, y 0..2, x 3..5.
        Assert.Equal(7, values[(3 * 36) + (0 * 6) + 3]);
        Assert.Equal(7, values[(5 * 36) + (2 * 6) + 5]);

        // A fill value that only fits uint64 (2^63 + 5) comes back exact.
        var wide = ZarrFixtures.Get("gzip_u8_missing_fill");
        ulong[] wideValues = ZarrArray.Open(wide.Path).Read<ulong>();
        Assert.Equal(wide.Expected<ulong>(), wideValues);
        Assert.Equal((1UL << 63) + 5, wideValues[(3 * 20) + (3 * 4) + 0]);

        var floats = ZarrArray.Open(ZarrFixtures.Get("gzip_f4_missing_nan").Path);
        Assert.True(float.IsNaN(floats.GetFillValue<float>()));
        Assert.True(float.IsNaN(floats.ReadRegion<float>([2, 2, 0], [1, 1, 1])[0]));
    }

    [Fact]
    public void ThreeDimensionalAccessConvertsTypes()
    {
        var fixture = ZarrFixtures.Get("none_u1_dot");
        var array = ZarrArray.Open(fixture.Path);
        byte[] expected = fixture.Expected<byte>();

        var asFloat = array.Read3D<float>();
        Assert.Equal(new HotDistance.Core.Volumes.Shape3(5, 6, 7), asFloat.Shape);
        Assert.Equal(expected.Select(b => (float)b), asFloat.Data);

        var sub = array.ReadRegion3D<ushort>(1, 2, 3, new HotDistance.Core.Volumes.Shape3(3, 4, 4));
        Assert.Equal(expected[(2 * 42) + (3 * 7) + 4], sub[1, 1, 1]);
        Assert.Equal(expected[(3 * 42) + (5 * 7) + 6], sub[2, 3, 3]);
    }

    [Fact]
    public void ValueThatDoesNotFitTheRequestedTypeIsAClearError()
    {
        var fixture = ZarrFixtures.Get("zstd_u4_slash");
        var array = ZarrArray.Open(fixture.Path);
        var e = Assert.Throws<ZarrValueOutOfRangeException>(() => array.Read<short>());
        Assert.Contains("Int16", e.Message, StringComparison.Ordinal);
        Assert.Contains(fixture.Path, e.Message, StringComparison.Ordinal);
    }

    private static void AssertWhole<T>(FixtureArray fixture, ZarrArray array) where T : unmanaged, INumberBase<T>
    {
        T[] expected = fixture.Expected<T>();
        T[] actual = array.Read<T>();
        Assert.Equal(expected.Length, actual.Length);
        Assert.Equal(expected, actual);
    }

    internal static double[] ReadExpectedAsDouble(FixtureArray fixture) => fixture.DType switch
    {
        "|u1" => fixture.Expected<byte>().Select(v => (double)v).ToArray(),
        "<u2" => fixture.Expected<ushort>().Select(v => (double)v).ToArray(),
        "<u4" => fixture.Expected<uint>().Select(v => (double)v).ToArray(),
        "<u8" => fixture.Expected<ulong>().Select(v => (double)v).ToArray(),
        "|i1" => fixture.Expected<sbyte>().Select(v => (double)v).ToArray(),
        "<i2" => fixture.Expected<short>().Select(v => (double)v).ToArray(),
        "<i8" => fixture.Expected<long>().Select(v => (double)v).ToArray(),
        "<i4" => fixture.Expected<int>().Select(v => (double)v).ToArray(),
        "<f4" => fixture.Expected<float>().Select(v => (double)v).ToArray(),
        "<f8" => fixture.Expected<double>(),
        _ => throw new InvalidOperationException(fixture.DType),
    };

    internal static double[] Slice(double[] all, long[] arrayShape, long[] start, int[] shape)
    {
        int rank = arrayShape.Length;
        long count = shape.Aggregate(1L, (a, n) => a * n);
        var result = new double[count];
        var position = new long[rank];
        for (long i = 0; i < count; i++)
        {
            long rem = i;
            for (int d = rank - 1; d >= 0; d--)
            {
                position[d] = start[d] + (rem % shape[d]);
                rem /= shape[d];
            }

            long flat = 0;
            for (int d = 0; d < rank; d++)
            {
                flat = (flat * arrayShape[d]) + position[d];
            }

            result[i] = all[flat];
        }

        return result;
    }
}
