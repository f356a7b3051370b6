namespace HotDistance.Core.Zarr;

/// <summary>The numeric family of a Zarr dtype (the letter in "&lt;u2", "|b1", "&lt;f4").</summary>
public enum ZarrElementKind
{
    Bool,
    UnsignedInteger,
    SignedInteger,
    FloatingPoint,
}
