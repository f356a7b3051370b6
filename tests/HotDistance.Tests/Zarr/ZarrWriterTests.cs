using System.Numerics;
using System.Runtime.InteropServices;
using HotDistance.Core.Volumes;
using HotDistance.Core.Zarr;

namespace HotDistance.Tests.Zarr;

public class ZarrWriterTests
{
    // Reads each array with zarr-python and compares it with the little-endian values we meant to write.
    private const string VerifyScript = """
        import sys, json, numpy as np, zarr
        failures = []
        for item in json.loads(sys.argv[1]):
            z = zarr.open_array(item["path"], mode="r")
            want = np.fromfile(item["expected"], dtype=np.dtype(item["dtype"]).newbyteorder("<")).reshape(z.shape)
            got = z[...]
            same = np.array_equal(got, want, equal_nan=True) if got.dtype.kind == "f" else np.array_equal(got, want)
            if z.dtype.str != item["dtype"] or not same:
                failures.append("%s: dtype %s, equal %s" % (item["path"], z.dtype.str, same))
        print("\n".join(failures) or "all equal")
        sys.exit(1 if failures else 0)
        """;

    [Fact]
    public void ZarrPythonReadsWhatWeWrite()
    {
        using var dir = new TempDirectory();
        var checks = new List<object>();
        var rng = new Random(7);

        void Check<T>(string name, ZarrArray array, T[] values, string dtype) where T : unmanaged
        {
            string expected = dir.Combine(name + ".bin");
            File.WriteAllBytes(expected, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
            checks.Add(new { path = array.Path, expected, dtype });
        }

        // zstd (the default), nested keys, edge chunks.
        byte[] u1 = Enumerable.Range(0, 5 * 6 * 7).Select(i => (byte)(i * 7)).ToArray();
        var a = ZarrArray.Create<byte>(dir.Combine("u1_zstd_slash"), [5, 6, 7], [2, 4, 3]);
        a.Write<byte>(u1);
        Check("u1", a, u1, "|u1");

        uint[] u4 = Enumerable.Range(0, 9 * 4 * 5).Select(i => (uint)i * 23_000_000u).ToArray();
        var b = ZarrArray.Create<uint>(dir.Combine("u4_zstd_dot"), [9, 4, 5], [4, 4, 4], new ZarrWriteOptions { DimensionSeparator = '.' });
        b.Write<uint>(u4);
        Check("u4", b, u4, "<u4");

        ulong[] u8 = Enumerable.Range(0, 30).Select(i => ulong.MaxValue - (ulong)i * 1_000_003UL).ToArray();
        var c = ZarrArray.Create<ulong>(dir.Combine("u8_gzip"), [30], [7], new ZarrWriteOptions { Compressor = ZarrCompressor.Gzip() });
        c.Write<ulong>(u8);
        Check("u8", c, u8, "<u8");

        double[] f8 = Enumerable.Range(0, 3 * 5 * 2 * 4).Select(_ => rng.NextDouble() * 1e6 - 5e5).ToArray();
        var d = ZarrArray.Create<double>(dir.Combine("f8_zlib_4d"), [3, 5, 2, 4], [2, 2, 2, 3], new ZarrWriteOptions { Compressor = ZarrCompressor.Zlib() });
        d.Write<double>(f8);
        Check("f8", d, f8, "<f8");

        // float16, as hd predict --raw-output float16 writes probabilities and distances.
        Half[] f2 = Enumerable.Range(0, 5 * 4 * 3).Select(i => (Half)((i / 30.0) - 1)).ToArray();
        var h = ZarrArray.Create<Half>(dir.Combine("f2_zstd"), [5, 4, 3], [2, 4, 2]);
        h.Write<Half>(f2);
        Check("f2", h, f2, "<f2");

        short[] i2 = Enumerable.Range(0, 6 * 6).Select(i => (short)(i * 911 - 16000)).ToArray();
        var e = ZarrArray.Create<short>(dir.Combine("i2_none"), [6, 6], [4, 5], new ZarrWriteOptions { Compressor = null });
        e.Write<short>(i2);
        Check("i2", e, i2, "<i2");

        // Big-endian storage and a float fill value: only part of the array is written, the rest reads as NaN.
        var meta = new ZarrArrayMetadata([4, 4, 4], [2, 2, 2], ZarrDataType.Parse(">f4", "test"), ZarrCompressor.Zstd(5),
            ZarrArrayMetadata.FillValueToJson(float.NaN), '/');
        var f = ZarrArray.Create(dir.Combine("f4_bigendian_partial"), meta);
        var f4 = Enumerable.Repeat(float.NaN, 64).ToArray();
        var block = new Volume<float>(new Shape3(2, 3, 2));
        for (int i = 0; i < block.Data.Length; i++)
        {
            block.Data[i] = (i * 0.37f) - 1;
        }

        f.WriteRegion3D(1, 1, 2, block);
        for (int z = 0; z < 2; z++)
        {
            for (int y = 0; y < 3; y++)
            {
                for (int x = 0; x < 2; x++)
                {
                    f4[((z + 1) * 16) + ((y + 1) * 4) + x + 2] = block[z, y, x];
                }
            }
        }

        Check("f4", f, f4, ">f4");
        Assert.Equal(f4, f.Read<float>());

        string output = ZarrPython.Run(VerifyScript, System.Text.Json.JsonSerializer.Serialize(checks));
        Assert.Contains("all equal", output, StringComparison.Ordinal);
    }

    [Fact]
    public void RoundTripsEveryDtypeThroughOurReader()
    {
        using var dir = new TempDirectory();
        RoundTrip<byte>(dir, i => (byte)i);
        RoundTrip<sbyte>(dir, i => (sbyte)(i - 100));
        RoundTrip<ushort>(dir, i => (ushort)(i * 300));
        RoundTrip<short>(dir, i => (short)(i * -97));
        RoundTrip<uint>(dir, i => (uint)i * 16_000_000u);
        RoundTrip<int>(dir, i => (i * 1_000_003) - 77);
        RoundTrip<ulong>(dir, i => ulong.MaxValue - (ulong)i);
        RoundTrip<long>(dir, i => long.MinValue + i);
        RoundTrip<float>(dir, i => i / 3f);
        RoundTrip<double>(dir, i => Math.PI * i);
    }

    [Fact]
    public void RegionWritesUpdateOnlyTheirRegion()
    {
        using var dir = new TempDirectory();
        var shape = new Shape3(7, 9, 10);
        var array = ZarrArray.Create<int>(dir.Combine("a"), [7, 9, 10], [3, 4, 4], fillValue: -1);
        var model = new Volume<int>(shape);
        Array.Fill(model.Data, -1);

        void Put(int z0, int y0, int x0, Shape3 size, int seed)
        {
            var v = new Volume<int>(size);
            for (int i = 0; i < v.Data.Length; i++)
            {
                v.Data[i] = seed + i;
            }

            array.WriteRegion3D(z0, y0, x0, v);
            for (int z = 0; z < size.Z; z++)
            {
                for (int y = 0; y < size.Y; y++)
                {
                    for (int x = 0; x < size.X; x++)
                    {
                        model[z0 + z, y0 + y, x0 + x] = v[z, y, x];
                    }
                }
            }
        }

        Put(1, 2, 3, new Shape3(4, 5, 6), 1000);   // partial chunks everywhere: read-modify-write
        Put(0, 0, 0, new Shape3(3, 4, 4), 5000);   // exactly one chunk
        Put(5, 6, 7, new Shape3(2, 3, 3), 9000);   // the corner edge chunk
        Put(2, 3, 4, new Shape3(1, 1, 1), 42);

        Assert.Equal(model.Data, array.Read3D<int>().Data);
        Assert.Equal(model.Data, ZarrArray.Open(array.Path).Read3D<int>().Data);
        Assert.Empty(Directory.EnumerateFiles(array.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void WritingAValueThatDoesNotFitTheDtypeIsAClearError()
    {
        using var dir = new TempDirectory();
        var meta = new ZarrArrayMetadata([4], [4], ZarrDataType.U1, ZarrCompressor.Zstd(), 0);
        var array = ZarrArray.Create(dir.Combine("u1"), meta);
        var e = Assert.Throws<ZarrValueOutOfRangeException>(() => array.Write<int>(new[] { 1, 2, 300, 4 }));
        Assert.Contains(array.MetadataPath, e.Message, StringComparison.Ordinal);
        Assert.Contains("'dtype'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateRefusesToReplaceAnArrayUnlessAskedAndThenDropsOldChunks()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("a");
        ZarrArray.Create<byte>(path, [4, 4], [2, 2]).Write<byte>(Enumerable.Repeat((byte)9, 16).ToArray());
        Assert.Throws<ZarrFormatException>(() => ZarrArray.Create<byte>(path, [4, 4], [2, 2]));

        var replaced = ZarrArray.Create<byte>(path, [4, 4], [2, 2], new ZarrWriteOptions { Overwrite = true }, fillValue: 3);
        Assert.All(replaced.Read<byte>(), v => Assert.Equal(3, v));
    }

    private static void RoundTrip<T>(TempDirectory dir, Func<int, T> value) where T : unmanaged, INumberBase<T>
    {
        T[] data = Enumerable.Range(0, 5 * 3 * 4).Select(value).ToArray();
        string path = dir.Combine(typeof(T).Name);
        ZarrArray.Create<T>(path, [5, 3, 4], [2, 2, 3]).Write<T>(data);
        var array = ZarrArray.Open(path);
        Assert.Equal(ZarrDataType.For<T>(), array.DataType);
        Assert.Equal(data, array.Read<T>());
    }
}
