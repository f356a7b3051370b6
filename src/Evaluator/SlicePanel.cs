using HotDistance.Core.Crops;
using SkiaSharp;

namespace HotDistance.Evaluator;

/// <summary>
/// Draws one panel of a slice figure at its final size: raw in grey, a class's labels as a translucent colour
/// fill with an opaque outline, and voxels whose truth is unknown hatched. Every output pixel samples its source
/// voxel directly (nearest neighbour), so enlarged voxels stay crisp squares.
/// </summary>
internal sealed class SlicePanel(CropSlice crop, double scale, int width, int height, Contrast contrast)
{
    private const float FillOpacity = 0.45f;
    private const int OutlinePixels = 2;
    private const int HatchPeriod = 10;
    private const int HatchWidth = 3;

    private readonly int[] sourceIndex = BuildSourceIndex(crop, scale, width, height);

    /// <param name="labels">What to colour (truth or a prediction); null draws raw only.</param>
    /// <param name="truth">The truth of the same class, which says where voxels are unknown.</param>
    /// <param name="classColor">Fill colour (ARGB) when the labels carry no instance ids.</param>
    /// <param name="hatchStrength">0 hides unknown voxels, 1 hatches them fully.</param>
    /// <param name="outlineTruth">Trace the truth's boundary (dashed black and white) over the labels, so what a prediction missed shows.</param>
    public SKBitmap Render(LabelSlice? labels, LabelSlice? truth, uint classColor, float hatchStrength, bool outlineTruth = false)
    {
        var labelAt = new uint[sourceIndex.Length];
        var truthAt = new uint[sourceIndex.Length];
        for (var p = 0; p < labelAt.Length; p++)
        {
            labelAt[p] = Label(labels, sourceIndex[p]);
            truthAt[p] = outlineTruth && Label(truth, sourceIndex[p]) != 0 ? 1u : 0u;
        }

        var pixels = new SKColor[sourceIndex.Length];
        for (var py = 0; py < height; py++)
        {
            for (var px = 0; px < width; px++)
            {
                var p = (py * width) + px;
                var source = sourceIndex[p];
                var grey = contrast.Grey(crop.Raw[source]);
                var (r, g, b) = ((float)grey, (float)grey, (float)grey);
                var label = labelAt[p];
                if (label != 0)
                {
                    var color = labels!.Instances is null ? classColor : ReportColors.Instance(label);
                    var alpha = IsOutline(labelAt, px, py, label, OutlinePixels) ? 1f : FillOpacity;
                    (r, g, b) = Blend((r, g, b), color, alpha);
                }

                if (hatchStrength > 0 && truth is not null && truth.Mask[source] == LabelValues.Unknown && (px + py) % HatchPeriod < HatchWidth)
                {
                    (r, g, b) = Blend((r, g, b), 0xFFFFFFFF, 0.75f * hatchStrength);
                }

                if (truthAt[p] != 0 && IsOutline(truthAt, px, py, 1, 1))
                {
                    var dash = (px + py) / 3 % 2 == 0 ? 0xFFFFFFFFu : 0xFF000000u;
                    (r, g, b) = Blend((r, g, b), dash, 0.9f);
                }

                pixels[p] = new SKColor((byte)r, (byte)g, (byte)b);
            }
        }

        var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        bitmap.Pixels = pixels;
        return bitmap;
    }

    private static int[] BuildSourceIndex(CropSlice crop, double scale, int width, int height)
    {
        var index = new int[width * height];
        for (var py = 0; py < height; py++)
        {
            var y = Math.Min(crop.Height - 1, (int)(py / scale));
            for (var px = 0; px < width; px++)
            {
                var x = Math.Min(crop.Width - 1, (int)(px / scale));
                index[(py * width) + px] = (y * crop.Width) + x;
            }
        }

        return index;
    }

    /// <summary>0 for background; the instance id, or 1 for a present voxel of a mask without ids.</summary>
    private static uint Label(LabelSlice? labels, int source)
    {
        if (labels is null)
        {
            return 0;
        }

        if (labels.Instances is { } ids)
        {
            return ids[source];
        }

        var value = labels.Mask[source];
        return value is LabelValues.Absent or LabelValues.Unknown ? 0u : 1u;
    }

    /// <summary>Whether a pixel lies within <paramref name="thickness"/> pixels of where its label changes.</summary>
    private bool IsOutline(uint[] labelAt, int px, int py, uint label, int thickness)
    {
        for (var d = 1; d <= thickness; d++)
        {
            if (Differs(px - d, py) || Differs(px + d, py) || Differs(px, py - d) || Differs(px, py + d))
            {
                return true;
            }
        }

        return false;

        bool Differs(int x, int y) => x >= 0 && y >= 0 && x < width && y < height && labelAt[(y * width) + x] != label;
    }

    private static (float R, float G, float B) Blend((float R, float G, float B) under, uint argb, float alpha)
    {
        var r = (argb >> 16) & 0xFF;
        var g = (argb >> 8) & 0xFF;
        var b = argb & 0xFF;
        return (
            under.R + ((r - under.R) * alpha),
            under.G + ((g - under.G) * alpha),
            under.B + ((b - under.B) * alpha));
    }
}
