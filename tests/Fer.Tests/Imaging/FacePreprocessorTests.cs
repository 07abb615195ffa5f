using System.Buffers.Binary;
using SkiaSharp;

namespace Fer.Tests.Imaging;

public class FacePreprocessorTests
{
    private static float[] Preprocess(byte[] encoded, ImageLimits? limits = null)
    {
        var output = new float[FacePreprocessor.PixelCount];
        FacePreprocessor.Preprocess(encoded, output, limits);
        return output;
    }

    [Fact]
    public void Gray_48x48_png_gives_exactly_pixel_over_255()
    {
        var gray = TestImages.Noise(48, 48, seed: 1);
        var input = Preprocess(TestImages.EncodeGray(gray, 48, 48));
        for (var i = 0; i < gray.Length; i++)
            Assert.Equal(gray[i] / 255f, input[i]);
    }

    [Fact]
    public void Fer2013_rows_give_exactly_pixel_over_255()
    {
        var gray = TestImages.Noise(48, 48, seed: 2);
        var input = new float[FacePreprocessor.PixelCount];
        FacePreprocessor.FromGray48(gray, input);
        Assert.Equal(gray.Select(p => p / 255f), input);
    }

    [Fact]
    public void Jpeg_round_trip_stays_close_to_the_source()
    {
        // A smooth gradient: JPEG at quality 95 should move no pixel by more than a few levels.
        var gray = new byte[48 * 48];
        for (var y = 0; y < 48; y++)
            for (var x = 0; x < 48; x++)
                gray[y * 48 + x] = (byte)(40 + 3 * x + y);
        var input = Preprocess(TestImages.EncodeGray(gray, 48, 48, SKEncodedImageFormat.Jpeg, 95));
        var maxError = gray.Select((p, i) => Math.Abs(p - input[i] * 255f)).Max();
        Assert.InRange(maxError, 0, 4);
    }

    [Fact]
    public void Rgb_is_converted_with_bt601_luma_rounded_half_up()
    {
        var rgb = new byte[48 * 48 * 3];
        new Random(3).NextBytes(rgb);
        var gray = FacePreprocessor.DecodeGray(TestImages.EncodeRgb(rgb, 48, 48), out var width, out var height);
        Assert.Equal((48, 48), (width, height));
        for (var i = 0; i < gray.Length; i++)
        {
            var (r, g, b) = (rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]);
            var expected = (byte)Math.Round(0.299m * r + 0.587m * g + 0.114m * b, MidpointRounding.AwayFromZero);
            Assert.Equal(expected, gray[i]);
        }
    }

    [Theory]
    [InlineData(64, 64)]   // non-integer shrink
    [InlineData(200, 150)] // shrink with different aspect
    [InlineData(30, 30)]   // enlarge (bilinear)
    public void Resizing_a_uniform_image_keeps_it_uniform(int width, int height)
    {
        var input = Preprocess(TestImages.Uniform(width, height, 137));
        Assert.All(input, v => Assert.Equal(137 / 255f, v));
    }

    [Fact]
    public void Halving_averages_each_2x2_block_exactly()
    {
        var big = TestImages.Noise(96, 96, seed: 4);
        var input = Preprocess(TestImages.EncodeGray(big, 96, 96));
        for (var y = 0; y < 48; y++)
            for (var x = 0; x < 48; x++)
            {
                var sum = big[2 * y * 96 + 2 * x] + big[2 * y * 96 + 2 * x + 1] + big[(2 * y + 1) * 96 + 2 * x] + big[(2 * y + 1) * 96 + 2 * x + 1];
                var expected = (sum + 2) / 4; // mean rounded half up
                Assert.Equal(expected / 255f, input[y * 48 + x]);
            }
    }

    [Fact]
    public void Empty_bytes_are_rejected_with_a_reason()
    {
        var ex = Assert.Throws<InvalidImageException>(() => Preprocess([]));
        Assert.Contains("empty", ex.Reason);
    }

    [Fact]
    public void Garbage_bytes_are_rejected_with_a_reason()
    {
        var ex = Assert.Throws<InvalidImageException>(() => Preprocess(TestImages.Noise(500, 1, seed: 5)));
        Assert.Contains("not a decodable image", ex.Reason);
    }

    [Fact]
    public void Truncated_png_is_rejected_with_a_reason()
    {
        var png = TestImages.EncodeGray(TestImages.Noise(200, 200, seed: 6), 200, 200);
        var ex = Assert.Throws<InvalidImageException>(() => Preprocess(png[..(png.Length / 2)]));
        Assert.Contains("truncated", ex.Reason);
    }

    [Fact]
    public void Image_over_the_pixel_limit_is_rejected()
    {
        var limits = new ImageLimits { MaxPixels = 100 * 100 - 1 };
        var ex = Assert.Throws<InvalidImageException>(() => Preprocess(TestImages.Uniform(100, 100, 9), limits));
        Assert.Contains("exceeds the limit", ex.Reason);
    }

    [Fact]
    public void Decompression_bomb_header_is_rejected_before_its_pixels_are_allocated()
    {
        // A valid 1x1 PNG whose IHDR claims 30000x30000 (3.6 GB as RGBA): only the header may be read.
        var png = TestImages.Uniform(1, 1, 0);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), 30_000);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), 30_000);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), Crc32.Compute(png.AsSpan(12, 17)));

        ImageLimitAssert.RefusedBeforeDecoding(() => Preprocess(png), "30000x30000");
    }

    [Fact]
    public void Oversized_file_is_rejected_by_byte_count()
    {
        var png = TestImages.Uniform(48, 48, 1);
        var ex = Assert.Throws<InvalidImageException>(() => Preprocess(png, new ImageLimits { MaxEncodedBytes = png.Length - 1 }));
        Assert.Contains("exceeds the limit", ex.Reason);
    }
}
