using HotDistance.Core.Zarr;

namespace HotDistance.Tests.Zarr;

/// <summary>Bad arrays fail with an error that names the file, the field and the fix.</summary>
public class ZarrErrorTests
{
    private const string Valid = """
        {"chunks": [2, 2], "compressor": null, "dimension_separator": ".", "dtype": "|u1",
         "fill_value": 0, "filters": null, "order": "C", "shape": [4, 4], "zarr_format": 2}
        """;

    [Fact]
    public void FortranOrderIsRejectedNamingFileFieldAndFix()
    {
        var e = OpenWith(Valid.Replace("\"order\": \"C\"", "\"order\": \"F\"", StringComparison.Ordinal), out string file);
        Assert.Equal(file, e.FilePath);
        Assert.Equal("order", e.Field);
        Assert.Equal($"{file}: field 'order' is 'F'; only C order is supported: rewrite the array with order='C'", e.Message);
    }

    [Theory]
    [InlineData("<c8")]
    [InlineData("|S4")]
    [InlineData("<f16")]
    [InlineData("<M8[ns]")]
    public void UnsupportedDtypeIsRejectedNamingFileAndField(string dtype)
    {
        var e = OpenWith(Valid.Replace("|u1", dtype, StringComparison.Ordinal), out string file);
        Assert.Equal("dtype", e.Field);
        Assert.StartsWith(file + ": field 'dtype'", e.Message, StringComparison.Ordinal);
        Assert.Contains(dtype, e.Message, StringComparison.Ordinal);
        Assert.Contains("rewrite the array", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FiltersAreRejected()
    {
        var e = OpenWith(Valid.Replace("\"filters\": null", "\"filters\": [{\"id\": \"delta\", \"dtype\": \"|u1\"}]", StringComparison.Ordinal), out _);
        Assert.Equal("filters", e.Field);
        Assert.Contains("filters=None", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"zarr_format\": 2", "\"zarr_format\": 3", "zarr_format")]
    [InlineData("\"dimension_separator\": \".\"", "\"dimension_separator\": \"_\"", "dimension_separator")]
    [InlineData("\"compressor\": null", "\"compressor\": {\"id\": \"lzma\"}", "compressor.id")]
    [InlineData("\"fill_value\": 0", "\"fill_value\": 300", "fill_value")]
    [InlineData("\"chunks\": [2, 2]", "\"chunks\": [2]", "chunks")]
    public void OtherBadFieldsAreNamed(string from, string to, string field)
    {
        var e = OpenWith(Valid.Replace(from, to, StringComparison.Ordinal), out _);
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void MissingMetadataIsAClearError()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<ZarrFormatException>(() => ZarrArray.Open(dir.Path));
        Assert.Contains(".zarray", e.Message, StringComparison.Ordinal);
        Assert.Contains("is missing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CorruptChunkNamesTheChunkFile()
    {
        using var dir = new TempDirectory();
        var array = ZarrArray.Create<ushort>(dir.Combine("a"), [4, 4], [2, 2]);
        array.Write<ushort>(Enumerable.Range(0, 16).Select(i => (ushort)i).ToArray());
        string chunk = array.ChunkPath([1, 0]);
        byte[] bytes = File.ReadAllBytes(chunk);
        File.WriteAllBytes(chunk, bytes[..(bytes.Length / 2)]);

        var e = Assert.Throws<ZarrFormatException>(() => array.Read<ushort>());
        Assert.Equal(chunk, e.FilePath);
    }

    [Fact]
    public void BloscWithAnUnsupportedInnerCodecNamesTheCodec()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, ".zarray"), Valid.Replace("\"compressor\": null",
            "\"compressor\": {\"id\": \"blosc\", \"cname\": \"blosclz\", \"clevel\": 5, \"shuffle\": 1, \"blocksize\": 0}", StringComparison.Ordinal));
        // A blosclz frame header: version 2, codec version 1, flags = byte shuffle | blosclz (0 << 5), type size 1.
        byte[] frame = new byte[16 + 4 + 4 + 4];
        frame[0] = 2;
        frame[1] = 1;
        frame[2] = 0x01;
        frame[3] = 1;
        BitConverter.TryWriteBytes(frame.AsSpan(4), 4);
        BitConverter.TryWriteBytes(frame.AsSpan(8), 4);
        BitConverter.TryWriteBytes(frame.AsSpan(12), frame.Length);
        File.WriteAllBytes(Path.Combine(dir.Path, "0.0"), frame);

        var e = Assert.Throws<ZarrFormatException>(() => ZarrArray.Open(dir.Path).Read<byte>());
        Assert.Equal("compressor.cname", e.Field);
        Assert.Contains("blosclz", e.Message, StringComparison.Ordinal);
    }

    private static ZarrFormatException OpenWith(string json, out string file)
    {
        string dir = Path.Combine(Path.GetTempPath(), "hd-zarr-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            file = Path.Combine(dir, ".zarray");
            File.WriteAllText(file, json);
            return Assert.Throws<ZarrFormatException>(() => ZarrArray.Open(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
