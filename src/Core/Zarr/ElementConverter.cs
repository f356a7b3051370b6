using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HotDistance.Core.Zarr;

/// <summary>
/// Converts runs of stored elements (little-endian bytes of a Zarr dtype) to and from a numeric type T.
/// The dtype switch happens once per run; the loops are generic over value types so the JIT specialises them
/// (no per-element virtual calls). Conversions are checked: a value that does not fit throws OverflowException.
/// </summary>
internal static class ElementConverter
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ToValues<T>(ReadOnlySpan<byte> source, ZarrDataType type, Span<T> destination)
        where T : unmanaged, INumberBase<T>
    {
        switch (type.Kind, type.Size)
        {
            case (ZarrElementKind.UnsignedInteger or ZarrElementKind.Bool, 1): From<byte, T>(source, destination); break;
            case (ZarrElementKind.UnsignedInteger, 2): From<ushort, T>(source, destination); break;
            case (ZarrElementKind.UnsignedInteger, 4): From<uint, T>(source, destination); break;
            case (ZarrElementKind.UnsignedInteger, 8): From<ulong, T>(source, destination); break;
            case (ZarrElementKind.SignedInteger, 1): From<sbyte, T>(source, destination); break;
            case (ZarrElementKind.SignedInteger, 2): From<short, T>(source, destination); break;
            case (ZarrElementKind.SignedInteger, 4): From<int, T>(source, destination); break;
            case (ZarrElementKind.SignedInteger, 8): From<long, T>(source, destination); break;
            case (ZarrElementKind.FloatingPoint, 2): From<Half, T>(source, destination); break;
            case (ZarrElementKind.FloatingPoint, 4): From<float, T>(source, destination); break;
            case (ZarrElementKind.FloatingPoint, 8): From<double, T>(source, destination); break;
            default: throw new InvalidOperationException($"no conversion for dtype {type}");
        }
    }

    public static void FromValues<T>(ReadOnlySpan<T> source, ZarrDataType type, Span<byte> destination)
        where T : unmanaged, INumberBase<T>
    {
        switch (type.Kind, type.Size)
        {
            case (ZarrElementKind.Bool, 1): ToBool(source, destination); break;
            case (ZarrElementKind.UnsignedInteger, 1): To<byte, T>(source, destination); break;
            case (ZarrElementKind.UnsignedInteger, 2): To<ushort, T>(source, destination); break;
            case (ZarrElementKind.UnsignedInteger, 4): To<uint, T>(source, destination); break;
            case (ZarrElementKind.UnsignedInteger, 8): To<ulong, T>(source, destination); break;
            case (ZarrElementKind.SignedInteger, 1): To<sbyte, T>(source, destination); break;
            case (ZarrElementKind.SignedInteger, 2): To<short, T>(source, destination); break;
            case (ZarrElementKind.SignedInteger, 4): To<int, T>(source, destination); break;
            case (ZarrElementKind.SignedInteger, 8): To<long, T>(source, destination); break;
            case (ZarrElementKind.FloatingPoint, 2): To<Half, T>(source, destination); break;
            case (ZarrElementKind.FloatingPoint, 4): To<float, T>(source, destination); break;
            case (ZarrElementKind.FloatingPoint, 8): To<double, T>(source, destination); break;
            default: throw new InvalidOperationException($"no conversion for dtype {type}");
        }
    }

    /// <summary>Swaps every element of <paramref name="data"/> between big- and little-endian in place.</summary>
    public static void ReverseEndianness(Span<byte> data, int elementSize)
    {
        switch (elementSize)
        {
            case 2:
                var u16 = MemoryMarshal.Cast<byte, ushort>(data);
                BinaryPrimitives.ReverseEndianness(u16, u16);
                break;
            case 4:
                var u32 = MemoryMarshal.Cast<byte, uint>(data);
                BinaryPrimitives.ReverseEndianness(u32, u32);
                break;
            case 8:
                var u64 = MemoryMarshal.Cast<byte, ulong>(data);
                BinaryPrimitives.ReverseEndianness(u64, u64);
                break;
            default:
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void From<TStored, T>(ReadOnlySpan<byte> source, Span<T> destination)
        where TStored : unmanaged, INumberBase<TStored>
        where T : unmanaged, INumberBase<T>
    {
        ReadOnlySpan<TStored> stored = MemoryMarshal.Cast<byte, TStored>(source);
        if (typeof(TStored) == typeof(T))
        {
            MemoryMarshal.Cast<TStored, T>(stored).CopyTo(destination);
            return;
        }

        destination = destination[..stored.Length];
        for (int i = 0; i < stored.Length; i++)
        {
            destination[i] = T.CreateChecked(stored[i]);
        }
    }

    private static void To<TStored, T>(ReadOnlySpan<T> source, Span<byte> destination)
        where TStored : unmanaged, INumberBase<TStored>
        where T : unmanaged, INumberBase<T>
    {
        Span<TStored> stored = MemoryMarshal.Cast<byte, TStored>(destination)[..source.Length];
        if (typeof(TStored) == typeof(T))
        {
            MemoryMarshal.Cast<T, TStored>(source).CopyTo(stored);
            return;
        }

        for (int i = 0; i < source.Length; i++)
        {
            stored[i] = TStored.CreateChecked(source[i]);
        }
    }

    private static void ToBool<T>(ReadOnlySpan<T> source, Span<byte> destination)
        where T : unmanaged, INumberBase<T>
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = T.IsZero(source[i]) ? (byte)0 : (byte)1;
        }
    }
}
