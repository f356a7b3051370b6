using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using BitMiracle.LibTiff.Classic;
using HotDistance.Core.Crops;
using HotDistance.Core.Volumes;

namespace HotDistance.Ingest.Formats;

/// <summary>
/// A multi-page TIFF read as a 3-D volume, one page per Z slice, every page one grey sample per pixel of the
/// same size and type. Values come back little-endian, <see cref="BytesPerSample"/> bytes each, in C order.
/// </summary>
internal sealed partial class TiffStack
{
    private TiffStack(Shape3 shape, int bytesPerSample, SampleFormat sampleFormat, byte[] bytes)
    {
        Shape = shape;
        BytesPerSample = bytesPerSample;
        SampleFormat = sampleFormat;
        Bytes = bytes;
    }

    public Shape3 Shape { get; }

    public int BytesPerSample { get; }

    public SampleFormat SampleFormat { get; }

    public byte[] Bytes { get; }

    /// <summary>"uint8", "int16", "float32", ...</summary>
    public string TypeName => (SampleFormat switch
    {
        SampleFormat.INT => "int",
        SampleFormat.IEEEFP => "float",
        _ => "uint",
    }) + (BytesPerSample * 8).ToString(CultureInfo.InvariantCulture);

    /// <summary>Raw intensities in [0, 1] and the stored maximum they are scaled by; only uint8 and uint16 are raw types.</summary>
    public (Volume<float> Raw, double Maximum) ToRaw(string path)
    {
        return (SampleFormat, BytesPerSample) switch
        {
            (SampleFormat.UINT, 1) => (RawIntensity.FromUInt8(Shape, Bytes), RawIntensity.UInt8Maximum),
            (SampleFormat.UINT, 2) => (RawIntensity.FromUInt16(Shape, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(Bytes)), RawIntensity.UInt16Maximum),
            _ => throw new CropFormatException(path, "dtype", $"is {TypeName}", "store raw as uint8 or uint16"),
        };
    }

    /// <summary>Label values as unsigned integers; floats and negative values are not labels.</summary>
    public ulong[] ToLabelValues(string path)
    {
        if (SampleFormat == SampleFormat.IEEEFP)
        {
            throw new CropFormatException(path, "dtype", $"is {TypeName}", "store labels as unsigned integers: uint8 0/1/255 per class, or instance ids");
        }

        var values = new ulong[Shape.Count];
        var bytes = Bytes.AsSpan();
        for (var i = 0; i < values.Length; i++)
        {
            var item = bytes.Slice(i * BytesPerSample, BytesPerSample);
            long signed = (SampleFormat, BytesPerSample) switch
            {
                (SampleFormat.INT, 1) => (sbyte)item[0],
                (SampleFormat.INT, 2) => System.Buffers.Binary.BinaryPrimitives.ReadInt16LittleEndian(item),
                (SampleFormat.INT, 4) => System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(item),
                (SampleFormat.INT, _) => System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(item),
                _ => 0,
            };
            if (signed < 0)
            {
                throw new CropFormatException(path, "values", $"include {signed.ToString(CultureInfo.InvariantCulture)} (dtype {TypeName})", "labels are 0 or more: store them as unsigned integers");
            }

            values[i] = SampleFormat == SampleFormat.INT ? (ulong)signed : BytesPerSample switch
            {
                1 => item[0],
                2 => System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(item),
                4 => System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(item),
                _ => System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(item),
            };
        }

        return values;
    }

    /// <summary>Reads every page; a stack of more than <paramref name="maxVoxels"/> voxels is refused before any page is.</summary>
    public static TiffStack Read(string path, long maxVoxels = CropLimits.DefaultMaxVoxels)
    {
        if (!File.Exists(path))
        {
            throw new CropFormatException(path, "file", "does not exist", "put the TIFF next to crop.json or fix its name in crop.json");
        }

        Tiff.SetErrorHandler(QuietTiffErrors.Instance);
        using var tiff = Tiff.Open(path, "r")
            ?? throw new CropFormatException(path, "file", "is not a readable TIFF", "write the stack as a (multi-page) TIFF, e.g. tifffile.imwrite(path, array_zyx)");
        int pages = tiff.NumberOfDirectories();
        if (PromisedPages(tiff) is { } promised && promised != pages)
        {
            // A copy that stopped early loses the directories of its last pages and reads as a shorter stack.
            throw new CropFormatException(path, "pages", $"are {pages}, but the file's description (written with it) promises {promised}",
                "the file is truncated, e.g. a copy that stopped early: copy or write it again");
        }

        int width = 0, height = 0, bytesPerSample = 0;
        var format = SampleFormat.UINT;
        byte[]? bytes = null;
        for (short page = 0; page < pages; page++)
        {
            if (!tiff.SetDirectory(page))
            {
                throw new CropFormatException(path, $"page {page}", "cannot be read", "the file is truncated or corrupt: write it again");
            }

            int samples = Field(tiff, TiffTag.SAMPLESPERPIXEL, 1);
            int bits = Field(tiff, TiffTag.BITSPERSAMPLE, 1);
            var pageFormat = (SampleFormat)Field(tiff, TiffTag.SAMPLEFORMAT, (int)SampleFormat.UINT);
            int pageWidth = Field(tiff, TiffTag.IMAGEWIDTH, 0);
            int pageHeight = Field(tiff, TiffTag.IMAGELENGTH, 0);
            if (samples != 1)
            {
                throw new CropFormatException(path, $"page {page} SamplesPerPixel", $"is {samples}", "store one grey value per voxel (no RGB): one page per Z slice");
            }

            if (bits is not (8 or 16 or 32 or 64) || pageFormat is not (SampleFormat.UINT or SampleFormat.INT or SampleFormat.IEEEFP))
            {
                throw new CropFormatException(path, $"page {page} BitsPerSample", $"is {bits} bits of sample format {pageFormat}",
                    "store 8, 16, 32 or 64-bit integers (raw: uint8 or uint16)");
            }

            if (page == 0)
            {
                (width, height, bytesPerSample, format) = (pageWidth, pageHeight, bits / 8, pageFormat);
                var voxels = (long)pages * width * height;
                if (voxels > maxVoxels)
                {
                    throw new CropFormatException(path, "pages", $"are {pages} of {width}x{height}, {voxels} voxels, over the {maxVoxels} a crop may hold",
                        "split it into smaller crops (or raise the ingest limit MaxCropVoxels)");
                }

                bytes = new byte[voxels * bytesPerSample];
            }
            else if (pageWidth != width || pageHeight != height || bits / 8 != bytesPerSample || pageFormat != format)
            {
                throw new CropFormatException(path, $"page {page}", $"is {pageWidth}x{pageHeight} of {bits}-bit {pageFormat}, page 0 is {width}x{height} of {bytesPerSample * 8}-bit {format}",
                    "write every Z slice with the same size and type");
            }

            int pageBytes = width * height * bytesPerSample;
            var target = bytes.AsSpan(page * pageBytes, pageBytes);
            if (tiff.IsTiled())
            {
                ReadTiles(tiff, path, page, target, width, height, bytesPerSample);
            }
            else
            {
                ReadScanlines(tiff, path, page, target, width, height, bytesPerSample);
            }
        }

        if (bytes is null)
        {
            throw new CropFormatException(path, "pages", "are missing", "write at least one page");
        }

        return new TiffStack(new Shape3(pages, height, width), bytesPerSample, format, bytes);
    }

    private static void ReadScanlines(Tiff tiff, string path, short page, Span<byte> target, int width, int height, int bytesPerSample)
    {
        int rowBytes = width * bytesPerSample;
        var line = new byte[Math.Max(tiff.ScanlineSize(), rowBytes)];
        for (int row = 0; row < height; row++)
        {
            if (!tiff.ReadScanline(line, row))
            {
                throw Corrupt(path, page, $"row {row}");
            }

            line.AsSpan(0, rowBytes).CopyTo(target.Slice(row * rowBytes, rowBytes));
        }
    }

    private static void ReadTiles(Tiff tiff, string path, short page, Span<byte> target, int width, int height, int bytesPerSample)
    {
        int tileWidth = Field(tiff, TiffTag.TILEWIDTH, 0);
        int tileHeight = Field(tiff, TiffTag.TILELENGTH, 0);
        var tile = new byte[tiff.TileSize()];
        for (int y = 0; y < height; y += tileHeight)
        {
            for (int x = 0; x < width; x += tileWidth)
            {
                if (tiff.ReadTile(tile, 0, x, y, 0, 0) < 0)
                {
                    throw Corrupt(path, page, $"tile at x={x}, y={y}");
                }

                int rows = Math.Min(tileHeight, height - y);
                int columns = Math.Min(tileWidth, width - x) * bytesPerSample;
                for (int r = 0; r < rows; r++)
                {
                    tile.AsSpan(r * tileWidth * bytesPerSample, columns).CopyTo(target.Slice((((y + r) * width) + x) * bytesPerSample, columns));
                }
            }
        }
    }

    /// <summary>
    /// The page count the writer recorded in page 0's ImageDescription: tifffile's JSON (<c>{"shape": [8, 64, 64]}</c>,
    /// every axis before the last two counts pages) or ImageJ's <c>images=8</c>; null when it records none, or for
    /// multi-sample pages (refused later for what they are).
    /// </summary>
    private static long? PromisedPages(Tiff tiff)
    {
        if (!tiff.SetDirectory(0) || Field(tiff, TiffTag.SAMPLESPERPIXEL, 1) != 1
            || tiff.GetField(TiffTag.IMAGEDESCRIPTION) is not { Length: > 0 } field || field[0].ToString() is not { Length: > 0 } description)
        {
            return null;
        }

        if (ImageJImages().Match(description) is { Success: true } imageJ
            && long.TryParse(imageJ.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var images))
        {
            return images;
        }

        if (!description.TrimStart().StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(description);
            if (json.RootElement.ValueKind != JsonValueKind.Object
                || !json.RootElement.TryGetProperty("shape", out var shape)
                || shape.ValueKind != JsonValueKind.Array
                || shape.GetArrayLength() < 2)
            {
                return null;
            }

            long product = 1;
            foreach (var axis in shape.EnumerateArray().SkipLast(2))
            {
                if (!axis.TryGetInt64(out var length) || length < 1)
                {
                    return null;
                }

                product = checked(product * length);
            }

            return product;
        }
        catch (Exception exception) when (exception is JsonException or OverflowException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"(?m)^images=(\d+)\s*$")]
    private static partial Regex ImageJImages();

    private static CropFormatException Corrupt(string path, short page, string where) =>
        new(path, $"page {page} {where}", $"does not decode{(QuietTiffErrors.Last is { } e ? $" ({e})" : string.Empty)}",
            "the file is truncated or corrupt: copy or write it again");

    private static int Field(Tiff tiff, TiffTag tag, int fallback) =>
        tiff.GetField(tag) is { Length: > 0 } value ? value[0].ToInt() : fallback;

    /// <summary>libtiff reports to stderr by default; keep the last message for our own error instead.</summary>
    private sealed class QuietTiffErrors : TiffErrorHandler
    {
        public static readonly QuietTiffErrors Instance = new();

        [ThreadStatic]
        private static string? last;

        public static string? Last => last;

        public override void ErrorHandler(Tiff tif, string method, string format, params object[] args) =>
            last = string.Format(CultureInfo.InvariantCulture, format, args);

        public override void ErrorHandlerExt(Tiff tif, object clientData, string method, string format, params object[] args) =>
            last = string.Format(CultureInfo.InvariantCulture, format, args);

        public override void WarningHandler(Tiff tif, string method, string format, params object[] args)
        {
        }

        public override void WarningHandlerExt(Tiff tif, object clientData, string method, string format, params object[] args)
        {
        }
    }
}
