using System.IO.Compression;
using System.Text.Json.Nodes;

namespace HotDistance.Core.Zarr;

/// <summary>numcodecs "gzip" (RFC 1952) and "zlib" (RFC 1950): the same deflate data in different wrappers.</summary>
internal sealed class DeflateCompressor : ZarrCompressor
{
    private DeflateCompressor(string id, int level)
    {
        Id = id;
        Level = level;
    }

    public int Level { get; }

    public override string Id { get; }

    public static DeflateCompressor CreateGzip(int level) => new("gzip", level);

    public static DeflateCompressor CreateZlib(int level) => new("zlib", level);

    internal override void Decode(ArraySegment<byte> encoded, Span<byte> decoded, string chunkPath)
    {
        int written;
        try
        {
            written = StreamCodec.Decode(Open, encoded.Array!, encoded.Offset, encoded.Count, decoded);
        }
        catch (InvalidDataException e)
        {
            ThrowCorrupt(chunkPath, Id, e);
            return;
        }

        if (written != decoded.Length)
        {
            ThrowSizeMismatch(chunkPath, written, decoded.Length);
        }
    }

    internal override byte[] Encode(ReadOnlySpan<byte> data) =>
        StreamCodec.Encode(s => Id == "gzip"
            ? new GZipStream(s, StreamCodec.ToCompressionLevel(Level))
            : new ZLibStream(s, StreamCodec.ToCompressionLevel(Level)), data);

    internal override JsonObject ToJson() => new() { ["id"] = Id, ["level"] = Level };

    private Stream Open(Stream s) => Id == "gzip"
        ? new GZipStream(s, CompressionMode.Decompress)
        : new ZLibStream(s, CompressionMode.Decompress);
}
