using SkiaSharp;

namespace Fer.Tests.Imaging;

/// <summary>What users actually upload: odd formats decode correctly, broken and huge files are refused with a reason.</summary>
public class HostileImageTests
{
    private static float[] Preprocess(byte[] encoded)
    {
        var output = new float[FacePreprocessor.PixelCount];
        FacePreprocessor.Preprocess(encoded, output);
        return output;
    }

    [Fact]
    public void Text_file_renamed_to_png_is_rejected_as_not_an_image()
    {
        var ex = Assert.Throws<InvalidImageException>(() => Preprocess(HostileImages.TextRenamedPng));
        Assert.Contains("not a decodable image", ex.Reason);
    }

    [Fact]
    public void Truncated_jpeg_is_rejected_with_a_reason()
    {
        var ex = Assert.Throws<InvalidImageException>(() => Preprocess(HostileImages.TruncatedJpeg()));
        Assert.Contains("truncated", ex.Reason);
    }

    [Fact]
    public void Real_20000x20000_png_is_refused_by_its_size_before_decoding_with_bounded_memory()
    {
        var png = HostileImages.BilevelPng(20_000, 20_000);
        // A real, complete image well under the byte limit (so the pixel limit is what refuses it); 1.6 GB as RGBA.
        Assert.InRange(png.Length, 1, ImageLimits.Default.MaxEncodedBytes / 10);
        using (var codec = SKCodec.Create(new MemoryStream(png)))
            Assert.Equal(new SKSizeI(20_000, 20_000), codec.Info.Size); // Skia reads it as a valid image

        ImageLimitAssert.RefusedBeforeDecoding(() => Preprocess(png), "20000x20000");
    }

    [Fact]
    public void Animated_gif_uses_its_first_frame()
    {
        var input = Preprocess(HostileImages.AnimatedGif);
        Assert.All(input, v => Assert.Equal(200 / 255f, v));
    }

    [Fact]
    public void Sixteen_bit_png_is_reduced_to_eight_bits_per_pixel()
    {
        var input = Preprocess(HostileImages.Gray16Png);
        for (var y = 0; y < 48; y++)
        {
            // ImageMagick's gradient runs from 0 on the first row to 65535 on the last.
            var expected = y * 255.0 / 47;
            for (var x = 0; x < 48; x++)
                Assert.InRange(input[y * 48 + x] * 255, expected - 1.01, expected + 1.01);
        }
    }

    [Fact]
    public void Cmyk_jpeg_decodes_to_the_luma_of_its_colour_not_its_inverse()
    {
        // rgb(230,220,210): BT.601 luma 222; the inverted colour would give 33.
        var input = Preprocess(HostileImages.CmykJpeg);
        Assert.All(input, v => Assert.InRange(v * 255, 222 - 10, 222 + 10));
    }
}
