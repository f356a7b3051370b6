using System.IO.Compression;

namespace HotDistance.Core.Zarr;

/// <summary>Shared decode/encode for the System.IO.Compression stream formats (gzip, zlib).</summary>
internal static class StreamCodec
{
    /// <summary>Decodes all of <paramref name="encoded"/>; returns the byte count, or -1 if it holds more than fits.</summary>
    public static int Decode(Func<Stream, Stream> open, byte[] encoded, int offset, int count, Span<byte> decoded)
    {
        using var input = new MemoryStream(encoded, offset, count, writable: false);
        using Stream stream = open(input);
        int written = stream.ReadAtLeast(decoded, decoded.Length, throwOnEndOfStream: false);
        if (written == decoded.Length)
        {
            Span<byte> probe = stackalloc byte[1];
            if (stream.Read(probe) != 0)
            {
                return -1;
            }
        }

        return written;
    }

    public static byte[] Encode(Func<Stream, Stream> open, ReadOnlySpan<byte> data)
    {
        using var output = new MemoryStream();
        using (Stream stream = open(output))
        {
            stream.Write(data);
        }

        return output.ToArray();
    }

    public static CompressionLevel ToCompressionLevel(int level) => level switch
    {
        <= 0 => CompressionLevel.NoCompression,
        <= 3 => CompressionLevel.Fastest,
        <= 7 => CompressionLevel.Optimal,
        _ => CompressionLevel.SmallestSize,
    };
}
