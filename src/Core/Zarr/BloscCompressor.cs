using System.Text.Json.Nodes;

namespace HotDistance.Core.Zarr;

/// <summary>
/// numcodecs "blosc" (read only). The chunk's own blosc header says how it was compressed, so the config
/// fields are kept only to describe the array.
/// </summary>
internal sealed class BloscCompressor(string cname, int clevel, int shuffle, int blocksize) : ZarrCompressor
{
    public string CName { get; } = cname;

    public int CLevel { get; } = clevel;

    public int Shuffle { get; } = shuffle;

    public int BlockSize { get; } = blocksize;

    public override string Id => "blosc";

    public override bool CanEncode => false;

    internal override void Decode(ArraySegment<byte> encoded, Span<byte> decoded, string chunkPath) =>
        BloscDecoder.Decode(encoded, decoded, chunkPath);

    internal override byte[] Encode(ReadOnlySpan<byte> data) =>
        throw new NotSupportedException("writing blosc chunks is not supported; write with ZarrCompressor.Zstd()");

    internal override JsonObject ToJson() =>
        new() { ["id"] = Id, ["cname"] = CName, ["clevel"] = CLevel, ["shuffle"] = Shuffle, ["blocksize"] = BlockSize };
}
