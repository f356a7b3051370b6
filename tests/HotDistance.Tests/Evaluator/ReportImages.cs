using SkiaSharp;

namespace HotDistance.Tests.Evaluator;

/// <summary>Checks that a file is a PNG a viewer can show and that it shows something.</summary>
internal static class ReportImages
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Asserts a decodable, non-blank PNG and returns its size.</summary>
    public static (int Width, int Height) AssertPicture(string path)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.AsSpan().StartsWith(PngSignature), $"{path} does not start with the PNG signature");
        using var bitmap = SKBitmap.Decode(bytes);
        Assert.NotNull(bitmap);
        Assert.True(bitmap.Width > 0 && bitmap.Height > 0);
        var colours = bitmap.Pixels.Distinct().Count();
        Assert.True(colours > 16, $"{path} has only {colours} distinct colours: it is (nearly) blank");
        return (bitmap.Width, bitmap.Height);
    }
}
