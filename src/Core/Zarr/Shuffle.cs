using System.Runtime.CompilerServices;

namespace HotDistance.Core.Zarr;

/// <summary>Blosc's byte and bit unshuffle filters, applied per block after decompression.</summary>
internal static class Shuffle
{
    /// <summary>
    /// Byte unshuffle: the shuffled block holds byte 0 of every element, then byte 1 of every element, and so
    /// on. Trailing bytes that do not fill an element are stored as they are.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ByteUnshuffle(ReadOnlySpan<byte> shuffled, Span<byte> output, int typeSize)
    {
        int count = shuffled.Length / typeSize;
        for (int b = 0; b < typeSize; b++)
        {
            ReadOnlySpan<byte> plane = shuffled.Slice(b * count, count);
            for (int i = 0, o = b; i < count; i++, o += typeSize)
            {
                output[o] = plane[i];
            }
        }

        int tail = count * typeSize;
        shuffled[tail..].CopyTo(output[tail..]);
    }

    /// <summary>
    /// Bit unshuffle (the bitshuffle library's layout). The shuffled block is 8 * typeSize bit planes of
    /// count / 8 bytes each; plane (8 * byte + bit) holds that bit of that byte of every element, element e in
    /// bit e % 8 of plane byte e / 8. Blosc only bit-shuffles whole groups of 8 elements: with a count that is
    /// not a multiple of 8 it stores the block as it is, and bytes after the last whole element are copied.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BitUnshuffle(ReadOnlySpan<byte> shuffled, Span<byte> output, int typeSize)
    {
        int count = shuffled.Length / typeSize;
        if (count % 8 != 0)
        {
            shuffled.CopyTo(output);
            return;
        }

        int planeBytes = count / 8;
        for (int b = 0; b < typeSize; b++)
        {
            int planeBase = b * 8 * planeBytes;
            for (int g = 0; g < planeBytes; g++)
            {
                // Gather one byte from each of the 8 bit planes of byte b: row k of an 8x8 bit matrix.
                ulong x = 0;
                for (int k = 0; k < 8; k++)
                {
                    x |= (ulong)shuffled[planeBase + (k * planeBytes) + g] << (8 * k);
                }

                x = Transpose8x8(x);
                int o = (g * 8 * typeSize) + b;
                for (int e = 0; e < 8; e++, o += typeSize)
                {
                    output[o] = (byte)(x >> (8 * e));
                }
            }
        }

        int tail = count * typeSize;
        shuffled[tail..].CopyTo(output[tail..]);
    }

    /// <summary>Transposes an 8x8 bit matrix stored row-major in a word (row r = byte r, column c = bit c).</summary>
    internal static ulong Transpose8x8(ulong x)
    {
        // Swap the off-diagonal 1x1, then 2x2, then 4x4 sub-blocks.
        ulong t = (x ^ (x >> 7)) & 0x00AA00AA00AA00AAUL;
        x ^= t ^ (t << 7);
        t = (x ^ (x >> 14)) & 0x0000CCCC0000CCCCUL;
        x ^= t ^ (t << 14);
        t = (x ^ (x >> 28)) & 0x00000000F0F0F0F0UL;
        x ^= t ^ (t << 28);
        return x;
    }
}
