using System.Globalization;

namespace HotDistance.Core.Zarr;

/// <summary>
/// A Zarr v2 numeric dtype: kind, size in bytes and byte order, e.g. "|u1", "&lt;u2", "&gt;f4".
/// Structured, string, complex, datetime and half-precision dtypes are not supported.
/// </summary>
public sealed record ZarrDataType
{
    private ZarrDataType(ZarrElementKind kind, int size, bool bigEndian)
    {
        Kind = kind;
        Size = size;
        // One-byte types have no byte order; normalising keeps equality and the written dtype string stable.
        BigEndian = size > 1 && bigEndian;
    }

    public ZarrElementKind Kind { get; }

    /// <summary>Bytes per element.</summary>
    public int Size { get; }

    public bool BigEndian { get; }

    public static ZarrDataType U1 { get; } = new(ZarrElementKind.UnsignedInteger, 1, false);
    public static ZarrDataType U2 { get; } = new(ZarrElementKind.UnsignedInteger, 2, false);
    public static ZarrDataType U4 { get; } = new(ZarrElementKind.UnsignedInteger, 4, false);
    public static ZarrDataType U8 { get; } = new(ZarrElementKind.UnsignedInteger, 8, false);
    public static ZarrDataType I1 { get; } = new(ZarrElementKind.SignedInteger, 1, false);
    public static ZarrDataType I2 { get; } = new(ZarrElementKind.SignedInteger, 2, false);
    public static ZarrDataType I4 { get; } = new(ZarrElementKind.SignedInteger, 4, false);
    public static ZarrDataType I8 { get; } = new(ZarrElementKind.SignedInteger, 8, false);
    public static ZarrDataType F2 { get; } = new(ZarrElementKind.FloatingPoint, 2, false);
    public static ZarrDataType F4 { get; } = new(ZarrElementKind.FloatingPoint, 4, false);
    public static ZarrDataType F8 { get; } = new(ZarrElementKind.FloatingPoint, 8, false);
    public static ZarrDataType B1 { get; } = new(ZarrElementKind.Bool, 1, false);

    /// <summary>The little-endian dtype that stores <typeparamref name="T"/> without conversion.</summary>
    public static ZarrDataType For<T>() where T : unmanaged
    {
        var t = typeof(T);
        if (t == typeof(byte)) return U1;
        if (t == typeof(ushort)) return U2;
        if (t == typeof(uint)) return U4;
        if (t == typeof(ulong)) return U8;
        if (t == typeof(sbyte)) return I1;
        if (t == typeof(short)) return I2;
        if (t == typeof(int)) return I4;
        if (t == typeof(long)) return I8;
        if (t == typeof(Half)) return F2;
        if (t == typeof(float)) return F4;
        if (t == typeof(double)) return F8;
        throw new ArgumentException($"{t.Name} has no Zarr dtype; use byte, ushort, uint, ulong, sbyte, short, int, long, Half, float or double");
    }

    /// <summary>Parses a dtype string; <paramref name="metadataPath"/> is named in the error.</summary>
    public static ZarrDataType Parse(string text, string metadataPath)
    {
        ArgumentNullException.ThrowIfNull(text);
        const string Fix = "supported dtypes are |b1, |u1, |i1, <u2, <u4, <u8, <i2, <i4, <i8, <f2, <f4, <f8 (or '>' big-endian): rewrite the array with one of them";
        if (text.Length < 3 || !int.TryParse(text.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out int size))
        {
            throw new ZarrFormatException(metadataPath, "dtype", $"is '{text}', not a simple numeric dtype", Fix);
        }

        bool bigEndian = text[0] switch
        {
            '<' or '|' or '=' => false,
            '>' => true,
            _ => throw new ZarrFormatException(metadataPath, "dtype", $"is '{text}' with unknown byte order '{text[0]}'", Fix),
        };
        ZarrElementKind? kind = text[1] switch
        {
            'b' when size == 1 => ZarrElementKind.Bool,
            'u' when size is 1 or 2 or 4 or 8 => ZarrElementKind.UnsignedInteger,
            'i' when size is 1 or 2 or 4 or 8 => ZarrElementKind.SignedInteger,
            'f' when size is 2 or 4 or 8 => ZarrElementKind.FloatingPoint,
            _ => null,
        };
        return kind is null
            ? throw new ZarrFormatException(metadataPath, "dtype", $"is '{text}', which is not supported", Fix)
            : new ZarrDataType(kind.Value, size, bigEndian);
    }

    /// <summary>The dtype string as written in .zarray.</summary>
    public string ToZarrString()
    {
        char order = Size == 1 ? '|' : BigEndian ? '>' : '<';
        char letter = Kind switch
        {
            ZarrElementKind.Bool => 'b',
            ZarrElementKind.UnsignedInteger => 'u',
            ZarrElementKind.SignedInteger => 'i',
            _ => 'f',
        };
        return string.Create(CultureInfo.InvariantCulture, $"{order}{letter}{Size}");
    }

    public override string ToString() => ToZarrString();
}
