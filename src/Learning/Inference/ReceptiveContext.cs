using HotDistance.Learning.Model;

namespace HotDistance.Learning.Inference;

/// <summary>
/// How far (voxels per axis) a wrong input value can reach into a U-Net's output. The convolutions zero-pad,
/// so a tile window's edge is such a wrong value; cores kept at least this far from every window edge that is
/// not also the crop's edge equal the whole-crop prediction.
/// </summary>
public static class ReceptiveContext
{
    /// <summary>
    /// Follows the contamination depth from a window edge through the network: each 3-wide convolution at
    /// stride s adds s, a pooling rounds the depth up to whole coarse voxels, and the decoder adds its own
    /// convolutions on the way back up (its skip input is never deeper than the upsampled path). The result is
    /// rounded up to the downsampling multiple so windows stay aligned with the pooling grid.
    /// </summary>
    public static int[] Of(ModelArchitecture architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        const int ConvolutionsPerBlock = 2;
        var total = architecture.TotalDownsample();
        var context = new int[3];
        for (var axis = 0; axis < 3; axis++)
        {
            var radius = architecture.Planar && axis == 0 ? 0 : 1;
            var strides = new List<int> { 1 };
            foreach (var factor in architecture.DownsampleFactors)
            {
                strides.Add(strides[^1] * factor[axis]);
            }

            var depth = 0;
            for (var level = 0; level < architecture.Levels; level++)
            {
                depth += ConvolutionsPerBlock * radius * strides[level];
                if (level + 1 < architecture.Levels)
                {
                    depth = RoundUp(depth, strides[level + 1]);
                }
            }

            for (var level = architecture.Levels - 2; level >= 0; level--)
            {
                depth += ConvolutionsPerBlock * radius * strides[level];
            }

            context[axis] = RoundUp(depth, total[axis]);
        }

        return context;
    }

    internal static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
