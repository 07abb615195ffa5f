namespace Fer.Inference.Faces;

/// <summary>
/// Resizes 3-byte RGB pixels with a separable triangle filter whose support widens with the shrink factor (as PIL's
/// bilinear resize): bilinear when enlarging, an anti-aliased average when shrinking, so a photo shrunk 20x for the
/// detector's coarsest level does not alias.
/// </summary>
public static class RgbResampler
{
    public static byte[] Resize(byte[] rgb, int width, int height, int targetWidth, int targetHeight)
    {
        if (width == targetWidth && height == targetHeight)
            return rgb;
        var horizontal = Weights(width, targetWidth);
        var vertical = Weights(height, targetHeight);

        // Rows first (into floats), then columns.
        var temp = new float[height * targetWidth * 3];
        for (var y = 0; y < height; y++)
        {
            var row = y * width * 3;
            var outRow = y * targetWidth * 3;
            for (var x = 0; x < targetWidth; x++)
            {
                var (first, weights) = horizontal[x];
                float r = 0, g = 0, b = 0;
                for (var k = 0; k < weights.Length; k++)
                {
                    var p = row + (first + k) * 3;
                    var w = weights[k];
                    r += rgb[p] * w;
                    g += rgb[p + 1] * w;
                    b += rgb[p + 2] * w;
                }
                temp[outRow + x * 3] = r;
                temp[outRow + x * 3 + 1] = g;
                temp[outRow + x * 3 + 2] = b;
            }
        }

        var output = new byte[targetWidth * targetHeight * 3];
        var stride = targetWidth * 3;
        for (var y = 0; y < targetHeight; y++)
        {
            var (first, weights) = vertical[y];
            var outRow = y * stride;
            for (var i = 0; i < stride; i++)
            {
                float sum = 0;
                for (var k = 0; k < weights.Length; k++)
                    sum += temp[(first + k) * stride + i] * weights[k];
                output[outRow + i] = (byte)Math.Clamp((int)(sum + 0.5f), 0, 255);
            }
        }
        return output;
    }

    private static (int First, float[] Weights)[] Weights(int length, int target)
    {
        var scale = (double)length / target;
        var support = Math.Max(1.0, scale);
        var table = new (int, float[])[target];
        for (var o = 0; o < target; o++)
        {
            var centre = (o + 0.5) * scale;
            var first = Math.Max(0, (int)Math.Floor(centre - support));
            var last = Math.Min(length - 1, (int)Math.Ceiling(centre + support));
            var weights = new float[last - first + 1];
            double total = 0;
            for (var i = first; i <= last; i++)
            {
                var w = Math.Max(0, 1 - Math.Abs(i + 0.5 - centre) / support);
                weights[i - first] = (float)w;
                total += w;
            }
            if (total <= 0)
            {
                // Only when enlarging past the last pixel centre: take the nearest pixel.
                var nearest = Math.Clamp((int)centre, 0, length - 1);
                table[o] = (nearest, [1f]);
                continue;
            }
            for (var i = 0; i < weights.Length; i++)
                weights[i] = (float)(weights[i] / total);
            table[o] = (first, weights);
        }
        return table;
    }
}
