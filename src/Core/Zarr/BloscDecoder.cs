using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using K4os.Compression.LZ4;

namespace HotDistance.Core.Zarr;

/// <summary>
/// Decodes a Blosc1 frame (format version 2, as written by c-blosc 1.x through numcodecs).
/// Layout: a 16-byte header (version, codec version, flags, type size, then little-endian int32 uncompressed
/// size, block size and frame size); then either the raw data (flag "memcpyed") or one int32 start offset
/// per block followed by the blocks. A block is one stream, or one stream per byte of the type ("split"),
/// each an int32 compressed length and the bytes; a stream whose length equals its decoded length is stored
/// raw. Shuffle filters are undone per block.
/// </summary>
internal static class BloscDecoder
{
    private const int HeaderSize = 16;
    private const byte FlagByteShuffle = 0x01;
    private const byte FlagMemcpyed = 0x02;
    private const byte FlagBitShuffle = 0x04;
    private const byte FlagReserved = 0x08;
    private const byte FlagDontSplit = 0x10;
    private const int MaxSplits = 16;
    private const int MinBufferSize = 128;

    private enum InnerCodec
    {
        BloscLz = 0,
        Lz4 = 1,
        Snappy = 2,
        Zlib = 3,
        Zstd = 4,
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Decode(ArraySegment<byte> frame, Span<byte> output, string chunkPath)
    {
        if (frame.Count < HeaderSize)
        {
            Fail(chunkPath, $"is {frame.Count} bytes, shorter than the 16-byte blosc header");
        }

        byte version = frame[0];
        byte flags = frame[2];
        int typeSize = frame[3];
        int nbytes = BinaryPrimitives.ReadInt32LittleEndian(frame.AsSpan(4));
        int blockSize = BinaryPrimitives.ReadInt32LittleEndian(frame.AsSpan(8));
        int cbytes = BinaryPrimitives.ReadInt32LittleEndian(frame.AsSpan(12));

        if (version != 2 || (flags & FlagReserved) != 0)
        {
            Fail(chunkPath, $"has blosc format version {version} with flags 0x{flags:x2}; only Blosc1 frames (c-blosc 1.x) are supported");
        }

        if (nbytes != output.Length)
        {
            throw new ZarrFormatException(chunkPath, "chunks",
                Invariant($"holds {nbytes} bytes but one chunk of this shape and dtype is {output.Length} bytes"),
                "the chunk belongs to another array layout: rewrite the chunk (or delete it to read the fill value)");
        }

        if (cbytes > frame.Count || cbytes < HeaderSize)
        {
            Fail(chunkPath, Invariant($"declares {cbytes} bytes but the file has {frame.Count}"));
        }

        if (nbytes == 0)
        {
            return;
        }

        if ((flags & FlagMemcpyed) != 0)
        {
            if (cbytes != nbytes + HeaderSize)
            {
                Fail(chunkPath, Invariant($"is marked uncompressed but holds {cbytes - HeaderSize} data bytes for {nbytes}"));
            }

            frame.AsSpan(HeaderSize, nbytes).CopyTo(output);
            return;
        }

        if (typeSize <= 0 || blockSize <= 0)
        {
            Fail(chunkPath, Invariant($"has type size {typeSize} and block size {blockSize}"));
        }

        var codec = (InnerCodec)((flags & 0xE0) >> 5);
        if (codec is not (InnerCodec.Lz4 or InnerCodec.Zlib or InnerCodec.Zstd))
        {
            throw new ZarrFormatException(chunkPath, "compressor.cname",
                $"is {codec.ToString().ToLowerInvariant()} inside blosc, which is not supported",
                "rewrite the array with blosc cname 'lz4', 'zstd' or 'zlib' (or with the zstd compressor)");
        }

        int blocks = (nbytes / blockSize) + (nbytes % blockSize > 0 ? 1 : 0);
        if (HeaderSize + (4L * blocks) > cbytes)
        {
            Fail(chunkPath, "is too short for its block table");
        }

        bool dontSplit = (flags & FlagDontSplit) != 0;
        bool nativeAllowed = ZarrCodecs.NativeAllowed;
        // A block never exceeds the data, whatever the header claims.
        byte[] scratch = ArrayPool<byte>.Shared.Rent(Math.Min(blockSize, nbytes));
        try
        {
            for (int j = 0; j < blocks; j++)
            {
                int start = j * blockSize;
                int size = Math.Min(blockSize, nbytes - start);
                bool leftover = size < blockSize;
                bool byteShuffle = (flags & FlagByteShuffle) != 0 && typeSize > 1;
                bool bitShuffle = (flags & FlagBitShuffle) != 0 && size >= typeSize;
                Span<byte> target = byteShuffle || bitShuffle ? scratch.AsSpan(0, size) : output.Slice(start, size);

                // The split rule is c-blosc's, including its "old frames" fallback when the flag is clear.
                int splits = !dontSplit && typeSize <= MaxSplits && size / typeSize >= MinBufferSize && !leftover ? typeSize : 1;
                int streamSize = size / splits;
                int offset = BinaryPrimitives.ReadInt32LittleEndian(frame.AsSpan(HeaderSize + (4 * j)));
                for (int s = 0; s < splits; s++)
                {
                    offset = DecodeStream(frame, cbytes, offset, codec, nativeAllowed, target.Slice(s * streamSize, streamSize), chunkPath);
                }

                if (byteShuffle)
                {
                    Shuffle.ByteUnshuffle(target, output.Slice(start, size), typeSize);
                }
                else if (bitShuffle)
                {
                    Shuffle.BitUnshuffle(target, output.Slice(start, size), typeSize);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>Decodes the stream at <paramref name="offset"/> and returns the offset just past it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int DecodeStream(ArraySegment<byte> frame, int cbytes, int offset, InnerCodec codec, bool nativeAllowed, Span<byte> target, string chunkPath)
    {
        if (offset < HeaderSize || offset > cbytes - 4)
        {
            Fail(chunkPath, Invariant($"has a stream offset {offset} outside the frame"));
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(frame.AsSpan(offset));
        offset += 4;
        if (length < 0 || length > cbytes - offset)
        {
            Fail(chunkPath, Invariant($"has a stream of {length} bytes at {offset}, past the end of the frame"));
        }

        ReadOnlySpan<byte> stream = frame.AsSpan(offset, length);
        if (length == target.Length)
        {
            stream.CopyTo(target);
            return offset + length;
        }

        int written;
        string? error = null;
        switch (codec)
        {
            case InnerCodec.Lz4:
                written = nativeAllowed && NativeLz4.IsAvailable ? NativeLz4.Decompress(stream, target) : LZ4Codec.Decode(stream, target);
                break;
            case InnerCodec.Zstd:
                written = ZstdCompressor.Unwrap(stream, target, nativeAllowed && NativeZstd.IsAvailable, out error);
                break;
            default:
                try
                {
                    written = StreamCodec.Decode(s => new ZLibStream(s, CompressionMode.Decompress), frame.Array!, frame.Offset + offset, length, target);
                }
                catch (InvalidDataException e)
                {
                    error = e.Message;
                    written = -1;
                }

                break;
        }

        if (error is not null)
        {
            Fail(chunkPath, $"has a {codec} stream that does not decode: {error}");
        }

        if (written != target.Length)
        {
            Fail(chunkPath, Invariant($"has a {codec} stream that decodes to {written} bytes instead of {target.Length}"));
        }

        return offset + length;
    }

    [DoesNotReturn]
    private static void Fail(string chunkPath, string problem) =>
        throw new ZarrFormatException(chunkPath, "compressor", "is blosc, but the chunk " + problem,
            "the chunk is corrupt or not a Blosc1 frame: rewrite it (or delete it to read the fill value)");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
