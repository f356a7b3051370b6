namespace HotDistance.Core.Volumes;

/// <summary>Small separable filters on float volumes.</summary>
public static class Filters
{
    public static Volume<float> GaussianBlur(Volume<float> input, float sigma)
    {
        ArgumentNullException.ThrowIfNull(input);
        var radius = Math.Max(1, (int)Math.Ceiling(3 * sigma));
        var kernel = new float[(2 * radius) + 1];
        var sum = 0f;
        for (var i = -radius; i <= radius; i++)
        {
            kernel[i + radius] = MathF.Exp(-(i * i) / (2 * sigma * sigma));
            sum += kernel[i + radius];
        }

        for (var i = 0; i < kernel.Length; i++)
        {
            kernel[i] /= sum;
        }

        var current = input;
        for (var axis = 0; axis < 3; axis++)
        {
            current = ConvolveAxis(current, kernel, axis);
        }

        return current;
    }

    private static Volume<float> ConvolveAxis(Volume<float> input, float[] kernel, int axis)
    {
        var shape = input.Shape;
        var output = new Volume<float>(shape);
        var radius = kernel.Length / 2;
        var length = shape[axis];
        var stride = axis switch { 0 => shape.Y * shape.X, 1 => shape.X, _ => 1 };
        Parallel.For(0, shape.Z, z =>
        {
            for (var y = 0; y < shape.Y; y++)
            {
                for (var x = 0; x < shape.X; x++)
                {
                    var position = axis switch { 0 => z, 1 => y, _ => x };
                    var index = shape.Index(z, y, x);
                    var acc = 0f;
                    for (var k = -radius; k <= radius; k++)
                    {
                        // Mirror at the edges so borders keep their brightness.
                        var p = position + k;
                        if (p < 0)
                        {
                            p = -p - 1;
                        }
                        else if (p >= length)
                        {
                            p = (2 * length) - p - 1;
                        }

                        p = Math.Clamp(p, 0, length - 1);
                        acc += kernel[k + radius] * input.Data[index + ((p - position) * stride)];
                    }

                    output.Data[index] = acc;
                }
            }
        });
        return output;
    }
}
