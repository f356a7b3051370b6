using System.Runtime.InteropServices;
using HotDistance.Core.Zarr;

namespace HotDistance.Tests.Zarr;

/// <summary>
/// The native decompressors (system libzstd / liblz4) and the managed fallback (ZstdSharp / K4os) decode every
/// zarr-python fixture to the same bytes, and fail on a corrupt chunk with the same clear error.
/// </summary>
public class ZarrCodecBackendTests
{
    public static TheoryData<string> CompressedFixtureNames()
    {
        var data = new TheoryData<string>();
        foreach (var a in ZarrFixtures.All.Where(a => ZarrArray.Open(a.Path).Metadata.Compressor?.Id is "zstd" or "blosc"))
        {
            data.Add(a.Name);
        }

        return data;
    }

    [Fact]
    public void NativeLibrariesAreUsedWhereTheSystemHasThem()
    {
        // libzstd.so.1 and liblz4.so.1 are part of every Debian/Ubuntu base system (systemd links both), so on
        // Linux the fixture tests run the native path; elsewhere the description must still say what is used.
        if (OperatingSystem.IsLinux())
        {
            Assert.Contains("zstd: native libzstd.so.1 ", ZarrCodecs.Backend, StringComparison.Ordinal);
            Assert.Contains("lz4: native liblz4.so.1 ", ZarrCodecs.Backend, StringComparison.Ordinal);
            Assert.True(ZarrCodecs.UseNativeZstd);
            Assert.True(ZarrCodecs.UseNativeLz4);
        }
        else
        {
            Assert.Matches("^zstd: (native|managed) .+; lz4: (native|managed) .+$", ZarrCodecs.Backend);
        }
    }

    [Fact]
    public void ForcingManagedReachesTheParallelChunkLoopAndEndsWithItsScope()
    {
        using (ZarrCodecs.ForceManaged())
        {
            Assert.False(ZarrCodecs.UseNativeZstd);
            Assert.False(ZarrCodecs.UseNativeLz4);
            bool anyNative = false;
            Parallel.For(0, 64, _ => anyNative |= ZarrCodecs.NativeAllowed);
            Assert.False(anyNative);
        }

        Assert.True(ZarrCodecs.NativeAllowed);
    }

    [Theory]
    [MemberData(nameof(CompressedFixtureNames))]
    public void NativeAndManagedDecodeFixturesToIdenticalBytes(string name)
    {
        var fixture = ZarrFixtures.Get(name);
        byte[] expected = fixture.Expected<byte>();

        byte[] viaDefault = ReadRaw(fixture);
        byte[] viaManaged;
        using (ZarrCodecs.ForceManaged())
        {
            viaManaged = ReadRaw(fixture);
        }

        Assert.Equal(expected, viaDefault);
        Assert.Equal(expected, viaManaged);
    }

    [Theory]
    [InlineData(false, "truncated")]
    [InlineData(true, "truncated")]
    [InlineData(false, "not a frame")]
    [InlineData(true, "not a frame")]
    public void CorruptZstdChunkNamesTheChunkOnBothPaths(bool managed, string damage)
    {
        using var dir = new TempDirectory();
        var array = ZarrArray.Create<ushort>(dir.Combine("a"), [8, 8], [4, 4]);
        array.Write<ushort>(Enumerable.Range(0, 64).Select(i => (ushort)(i * 7)).ToArray());
        string chunk = array.ChunkPath([1, 0]);
        byte[] bytes = File.ReadAllBytes(chunk);
        if (damage == "truncated")
        {
            bytes = bytes[..(bytes.Length - 3)];
        }
        else
        {
            bytes[0] ^= 0xFF; // the Zstandard magic number
        }

        File.WriteAllBytes(chunk, bytes);

        ZarrFormatException e;
        using (managed ? ZarrCodecs.ForceManaged() : null)
        {
            e = Assert.Throws<ZarrFormatException>(() => array.Read<ushort>());
        }

        Assert.Equal(chunk, e.FilePath);
        Assert.Equal("compressor", e.Field);
        Assert.StartsWith($"{chunk}: field 'compressor' says zstd, but the chunk does not decode as zstd: ", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("; the chunk is corrupt or was written with another compressor: rewrite it", e.Message, StringComparison.Ordinal);
    }

    private static byte[] ReadRaw(FixtureArray fixture)
    {
        var array = ZarrArray.Open(fixture.Path);
        return fixture.DType switch
        {
            "|u1" => array.Read<byte>(),
            "|i1" => AsBytes(array.Read<sbyte>()),
            "<u2" => AsBytes(array.Read<ushort>()),
            "<i2" => AsBytes(array.Read<short>()),
            "<u4" => AsBytes(array.Read<uint>()),
            "<i4" => AsBytes(array.Read<int>()),
            "<u8" => AsBytes(array.Read<ulong>()),
            "<i8" => AsBytes(array.Read<long>()),
            "<f4" => AsBytes(array.Read<float>()),
            "<f8" => AsBytes(array.Read<double>()),
            _ => throw new InvalidOperationException("fixture dtype without a test mapping: " + fixture.DType),
        };
    }

    private static byte[] AsBytes<T>(T[] values) where T : unmanaged => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
}
