using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HotDistance.Core.Zarr;

/// <summary>
/// The contents of a Zarr v2 .zarray file, limited to what this reader supports: C order, no filters,
/// numeric dtypes, and "." or "/" as the chunk key separator.
/// </summary>
public sealed class ZarrArrayMetadata
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, IndentSize = 4 };

    /// <summary>
    /// The most a chunk may decode to. Every chunk read takes a buffer this size (several at once), and decoding stops
    /// there, so a crafted chunk (a gzip bomb) or shape cannot make a read allocate more.
    /// </summary>
    public const long MaxChunkBytes = 256L << 20;

    private readonly long[] _shape;
    private readonly int[] _chunks;

    /// <param name="fillValue">The .zarray fill_value: a JSON number, "NaN"/"Infinity"/"-Infinity", or null.</param>
    public ZarrArrayMetadata(
        IReadOnlyList<long> shape,
        IReadOnlyList<int> chunks,
        ZarrDataType dataType,
        ZarrCompressor? compressor,
        JsonNode? fillValue,
        char dimensionSeparator = '.')
        : this(shape, chunks, dataType, compressor, fillValue, dimensionSeparator, "ZarrArrayMetadata")
    {
    }

    private ZarrArrayMetadata(
        IReadOnlyList<long> shape,
        IReadOnlyList<int> chunks,
        ZarrDataType dataType,
        ZarrCompressor? compressor,
        JsonNode? fillValue,
        char dimensionSeparator,
        string source)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(chunks);
        ArgumentNullException.ThrowIfNull(dataType);
        if (shape.Count == 0)
        {
            throw new ZarrFormatException(source, "shape", "is empty (a 0-d array)", "only arrays with at least one dimension are supported");
        }

        if (chunks.Count != shape.Count)
        {
            throw new ZarrFormatException(source, "chunks", $"has {chunks.Count} dimensions but shape has {shape.Count}",
                "give one chunk length per array dimension");
        }

        if (shape.Any(n => n < 0))
        {
            throw new ZarrFormatException(source, "shape", $"is [{string.Join(", ", shape)}] with a negative length", "use lengths >= 0");
        }

        if (chunks.Any(n => n <= 0))
        {
            throw new ZarrFormatException(source, "chunks", $"is [{string.Join(", ", chunks)}] with a length <= 0", "use chunk lengths >= 1");
        }

        long chunkBytes = chunks.Aggregate((long)dataType.Size, (acc, n) => acc * n > int.MaxValue ? long.MaxValue : acc * n);
        if (chunkBytes > MaxChunkBytes)
        {
            throw new ZarrFormatException(source, "chunks", $"is [{string.Join(", ", chunks)}], over {MaxChunkBytes >> 20} MiB per decoded chunk",
                "rewrite the array with smaller chunks (a few MiB each is usual)");
        }

        if (dimensionSeparator is not ('.' or '/'))
        {
            throw new ZarrFormatException(source, "dimension_separator", $"is '{dimensionSeparator}'", "use '.' or '/'");
        }

        _shape = [.. shape];
        _chunks = [.. chunks];
        DataType = dataType;
        Compressor = compressor;
        FillValue = fillValue?.DeepClone();
        DimensionSeparator = dimensionSeparator;
        ChunkElementCount = (int)(chunkBytes / dataType.Size);
        ChunkByteCount = (int)chunkBytes;
        FillBytes = EncodeFillValue(fillValue, dataType, source);
    }

    public IReadOnlyList<long> Shape => _shape;

    public IReadOnlyList<int> Chunks => _chunks;

    public int Rank => _shape.Length;

    public ZarrDataType DataType { get; }

    /// <summary>Null when chunks are stored uncompressed.</summary>
    public ZarrCompressor? Compressor { get; }

    /// <summary>fill_value as written in .zarray (null means "not set"; missing chunks then read as zeros).</summary>
    public JsonNode? FillValue { get; }

    public char DimensionSeparator { get; }

    internal int ChunkElementCount { get; }

    internal int ChunkByteCount { get; }

    /// <summary>One element holding the fill value, little-endian.</summary>
    internal byte[] FillBytes { get; }

    internal long[] ShapeArray => _shape;

    internal int[] ChunkArray => _chunks;

    /// <summary>Parses .zarray text; <paramref name="metadataPath"/> is named in every error.</summary>
    public static ZarrArrayMetadata Parse(string json, string metadataPath)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject
                ?? throw new ZarrFormatException(metadataPath, "(root)", "is not a JSON object", "write .zarray as a JSON object");
        }
        catch (JsonException e)
        {
            throw new ZarrFormatException(metadataPath, "(root)", $"is not valid JSON ({e.Message})", "repair or rewrite the file", e);
        }

        if (root["zarr_format"] is not JsonValue format || !format.TryGetValue(out int version) || version != 2)
        {
            throw new ZarrFormatException(metadataPath, "zarr_format", $"is {root["zarr_format"]?.ToJsonString() ?? "missing"}",
                "only Zarr v2 arrays are supported: write \"zarr_format\": 2 (convert v3 arrays to v2)");
        }

        string order = ReadString(root, "order", metadataPath) ?? "C";
        if (order != "C")
        {
            throw new ZarrFormatException(metadataPath, "order", $"is '{order}'",
                "only C order is supported: rewrite the array with order='C'");
        }

        if (root["filters"] is JsonNode filters && !(filters is JsonArray list && list.Count == 0))
        {
            throw new ZarrFormatException(metadataPath, "filters", $"is {filters.ToJsonString()}",
                "filters are not supported: rewrite the array with filters=None (put the transform in the data instead)");
        }

        string dtype = ReadString(root, "dtype", metadataPath)
            ?? throw new ZarrFormatException(metadataPath, "dtype", "is missing", "write the numpy dtype string, e.g. \"|u1\" or \"<f4\"");
        ZarrDataType dataType = ZarrDataType.Parse(dtype, metadataPath);

        string separator = ReadString(root, "dimension_separator", metadataPath) ?? ".";
        if (separator is not ("." or "/"))
        {
            throw new ZarrFormatException(metadataPath, "dimension_separator", $"is '{separator}'", "use \".\" or \"/\"");
        }

        return new ZarrArrayMetadata(
            ReadIntegers(root, "shape", metadataPath, long.MaxValue),
            ReadIntegers(root, "chunks", metadataPath, int.MaxValue).Select(n => (int)n).ToArray(),
            dataType,
            ZarrCompressor.FromJson(root["compressor"], metadataPath),
            root["fill_value"],
            separator[0],
            metadataPath);
    }

    /// <summary>Renders .zarray the way zarr-python does (sorted keys, four-space indent).</summary>
    public string ToJson()
    {
        var root = new JsonObject
        {
            ["chunks"] = new JsonArray([.. _chunks.Select(n => (JsonNode?)JsonValue.Create(n))]),
            ["compressor"] = Compressor?.ToJson(),
            ["dimension_separator"] = DimensionSeparator.ToString(),
            ["dtype"] = DataType.ToZarrString(),
            ["fill_value"] = FillValue?.DeepClone(),
            ["filters"] = null,
            ["order"] = "C",
            ["shape"] = new JsonArray([.. _shape.Select(n => (JsonNode?)JsonValue.Create(n))]),
            ["zarr_format"] = 2,
        };
        return root.ToJsonString(Indented);
    }

    /// <summary>The fill_value JSON for a typed value: numbers as numbers, non-finite floats as strings.</summary>
    public static JsonNode FillValueToJson<T>(T value) where T : INumberBase<T>
    {
        if (T.IsNaN(value))
        {
            return JsonValue.Create("NaN");
        }

        if (T.IsInfinity(value))
        {
            return JsonValue.Create(T.IsNegative(value) ? "-Infinity" : "Infinity");
        }

        // Invariant round-trip formatting keeps every digit (ulong ids, shortest exact float text).
        return JsonNode.Parse(value.ToString(null, CultureInfo.InvariantCulture))!;
    }

    private static byte[] EncodeFillValue(JsonNode? node, ZarrDataType type, string source)
    {
        var bytes = new byte[type.Size];
        if (node is null)
        {
            return bytes;
        }

        // A text round trip gives JSON-backed values, which convert between numeric types on request.
        node = JsonNode.Parse(node.ToJsonString());
        try
        {
            if (node is JsonValue v)
            {
                switch (type.Kind)
                {
                    case ZarrElementKind.Bool when v.TryGetValue(out bool flag):
                        bytes[0] = flag ? (byte)1 : (byte)0;
                        return bytes;
                    case ZarrElementKind.UnsignedInteger or ZarrElementKind.Bool when v.TryGetValue(out ulong u):
                        ElementConverter.FromValues<ulong>([u], type, bytes);
                        return bytes;
                    case ZarrElementKind.SignedInteger when v.TryGetValue(out long l):
                        ElementConverter.FromValues<long>([l], type, bytes);
                        return bytes;
                    case ZarrElementKind.FloatingPoint when v.TryGetValue(out double d):
                        ElementConverter.FromValues<double>([d], type, bytes);
                        return bytes;
                    case ZarrElementKind.FloatingPoint when v.TryGetValue(out string? text) && ParseNonFinite(text) is double special:
                        ElementConverter.FromValues<double>([special], type, bytes);
                        return bytes;
                    case not ZarrElementKind.FloatingPoint when v.TryGetValue(out double whole) && whole == Math.Floor(whole):
                        ElementConverter.FromValues<double>([whole], type, bytes);
                        return bytes;
                    default:
                        break;
                }
            }
        }
        catch (OverflowException)
        {
            // Falls through to the error below: the number does not fit the dtype.
        }

        throw new ZarrFormatException(source, "fill_value", $"is {node?.ToJsonString() ?? "null"}, which is not a {type} value",
            "write a number that fits the dtype, \"NaN\"/\"Infinity\"/\"-Infinity\" for floats, or null");
    }

    private static double? ParseNonFinite(string? text) => text switch
    {
        "NaN" => double.NaN,
        "Infinity" => double.PositiveInfinity,
        "-Infinity" => double.NegativeInfinity,
        _ => null,
    };

    private static string? ReadString(JsonObject root, string name, string metadataPath)
    {
        JsonNode? node = root[name];
        if (node is null)
        {
            return null;
        }

        return node is JsonValue v && v.TryGetValue(out string? text)
            ? text
            : throw new ZarrFormatException(metadataPath, name, $"is {node.ToJsonString()}, not a string", "write it as a JSON string");
    }

    private static long[] ReadIntegers(JsonObject root, string name, string metadataPath, long max)
    {
        if (root[name] is not JsonArray array)
        {
            throw new ZarrFormatException(metadataPath, name, $"is {root[name]?.ToJsonString() ?? "missing"}",
                "write it as a JSON array of integers, one per dimension");
        }

        var values = new long[array.Count];
        for (int i = 0; i < values.Length; i++)
        {
            if (array[i] is not JsonValue v || !v.TryGetValue(out long value) || value > max)
            {
                throw new ZarrFormatException(metadataPath, name, $"is {array.ToJsonString()} with a non-integer entry",
                    "write it as a JSON array of integers, one per dimension");
            }

            values[i] = value;
        }

        return values;
    }
}
