using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json.Nodes;

namespace HotDistance.Core.Zarr;

/// <summary>
/// A numcodecs compressor as named in .zarray's "compressor" field. Reading supports zstd, gzip, zlib and blosc
/// (inner lz4, zstd or zlib); writing supports zstd, gzip and zlib.
/// </summary>
public abstract class ZarrCompressor
{
    private protected ZarrCompressor()
    {
    }

    /// <summary>The numcodecs codec id ("zstd", "gzip", "zlib", "blosc").</summary>
    public abstract string Id { get; }

    /// <summary>Whether arrays can be written with this compressor.</summary>
    public virtual bool CanEncode => true;

    /// <summary>Zstandard, as numcodecs.Zstd writes it (one frame that records its content size).</summary>
    public static ZarrCompressor Zstd(int level = 3) => new ZstdCompressor(level);

    /// <summary>gzip (RFC 1952), as numcodecs.GZip.</summary>
    public static ZarrCompressor Gzip(int level = 5) => DeflateCompressor.CreateGzip(level);

    /// <summary>zlib (RFC 1950), as numcodecs.Zlib.</summary>
    public static ZarrCompressor Zlib(int level = 5) => DeflateCompressor.CreateZlib(level);

    /// <summary>Decodes one chunk file into exactly <paramref name="decoded"/>.Length bytes.</summary>
    internal abstract void Decode(ArraySegment<byte> encoded, Span<byte> decoded, string chunkPath);

    internal abstract byte[] Encode(ReadOnlySpan<byte> data);

    internal abstract JsonObject ToJson();

    /// <summary>Reads the "compressor" field of .zarray; null means chunks are stored uncompressed.</summary>
    internal static ZarrCompressor? FromJson(JsonNode? node, string metadataPath)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject obj || obj["id"] is not JsonValue idValue || !idValue.TryGetValue(out string? id))
        {
            throw new ZarrFormatException(metadataPath, "compressor", "has no string 'id'",
                "write the compressor as a numcodecs config, e.g. {\"id\": \"zstd\", \"level\": 3}, or null");
        }

        return id switch
        {
            "zstd" => new ZstdCompressor(ReadInt(obj, "level", 1, metadataPath)),
            "gzip" => DeflateCompressor.CreateGzip(ReadInt(obj, "level", 1, metadataPath)),
            "zlib" => DeflateCompressor.CreateZlib(ReadInt(obj, "level", 1, metadataPath)),
            "blosc" => new BloscCompressor(
                obj["cname"] is JsonValue c && c.TryGetValue(out string? cname) ? cname : "lz4",
                ReadInt(obj, "clevel", 5, metadataPath),
                ReadInt(obj, "shuffle", 1, metadataPath),
                ReadInt(obj, "blocksize", 0, metadataPath)),
            _ => throw new ZarrFormatException(metadataPath, "compressor.id", $"is '{id}', which is not supported",
                "rewrite the array with compressor zstd, gzip, zlib, blosc (lz4/zstd/zlib) or none"),
        };
    }

    [DoesNotReturn]
    private protected static void ThrowSizeMismatch(string chunkPath, long actual, int expected, Exception? inner = null) =>
        throw new ZarrFormatException(chunkPath, "chunks",
            string.Create(CultureInfo.InvariantCulture, $"decodes to {(actual < 0 ? "more" : actual.ToString(CultureInfo.InvariantCulture))} bytes but one chunk of this shape and dtype is {expected} bytes"),
            "the chunk is truncated or belongs to another array layout: rewrite the chunk (or delete it to read the fill value)", inner);

    [DoesNotReturn]
    private protected static void ThrowCorrupt(string chunkPath, string codec, Exception? inner = null) =>
        ThrowCorrupt(chunkPath, codec, inner?.Message, inner);

    [DoesNotReturn]
    private protected static void ThrowCorrupt(string chunkPath, string codec, string? reason, Exception? inner = null) =>
        throw new ZarrFormatException(chunkPath, "compressor",
            $"says {codec}, but the chunk does not decode as {codec}{(reason is null ? string.Empty : ": " + reason)}",
            "the chunk is corrupt or was written with another compressor: rewrite it", inner);

    private static int ReadInt(JsonObject obj, string name, int fallback, string metadataPath)
    {
        JsonNode? node = obj[name];
        if (node is null)
        {
            return fallback;
        }

        return node is JsonValue v && v.TryGetValue(out int value)
            ? value
            : throw new ZarrFormatException(metadataPath, "compressor." + name, $"is '{node.ToJsonString()}', not an integer",
                "write it as a JSON integer");
    }
}
