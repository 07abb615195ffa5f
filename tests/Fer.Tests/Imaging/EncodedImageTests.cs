using SkiaSharp;

namespace Fer.Tests.Imaging;

/// <summary>
/// <see cref="EncodedImage"/> decodes a grayscale file straight to its one channel; these files (made with PIL, one per
/// layout a user's folder may hold) check that every layout still gives the BT.601 luma of its RGBA decode, byte for byte.
/// </summary>
public class EncodedImageTests
{
    private static readonly string Folder = Path.Combine(RepoPaths.Fixtures, "decode-formats");

    public static TheoryData<string> Files() => new(Directory.GetFiles(Folder).Select(Path.GetFileName).Order()!);

    [Theory]
    [MemberData(nameof(Files))]
    public void Luma_is_the_bt601_luma_of_the_rgba_decode(string file)
    {
        var encoded = File.ReadAllBytes(Path.Combine(Folder, file));
        var expected = LumaThroughRgba(encoded, out var width, out var height);

        var gray = FacePreprocessor.DecodeGray(encoded, out var decodedWidth, out var decodedHeight);

        Assert.Equal((width, height), (decodedWidth, decodedHeight));
        Assert.Equal(expected, gray);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void A_photo_decode_carries_the_same_luma(string file)
    {
        var encoded = File.ReadAllBytes(Path.Combine(Folder, file));

        var photo = FacePreprocessor.DecodePhoto(encoded);

        Assert.Equal(LumaThroughRgba(encoded, out _, out _), photo.Gray);
    }

    [Fact]
    public void The_fixtures_hold_grayscale_files_that_take_the_one_channel_path_and_colour_ones_that_do_not()
    {
        // Without the first kind the theories above would not test the fast path; without the second, not the general one.
        var types = Directory.GetFiles(Folder).Select(f =>
        {
            using var codec = SKCodec.Create(f);
            return codec.Info.ColorType;
        }).ToList();
        Assert.Contains(SKColorType.Gray8, types);
        Assert.Contains(types, t => t != SKColorType.Gray8);
    }

    [Fact]
    public void Width_and_height_come_from_the_header()
    {
        using var image = EncodedImage.Open(TestImages.Uniform(30, 20, 128));

        Assert.Equal((30, 20), (image.Width, image.Height));
    }

    [Fact]
    public void A_jpeg_over_the_limits_is_decoded_reduced_by_its_codec()
    {
        var jpeg = TestImages.EncodeGray(TestImages.Noise(64, 48, seed: 3), 64, 48, SKEncodedImageFormat.Jpeg, 90);
        using var image = EncodedImage.Open(jpeg, new ImageLimits { MaxSide = 32 });

        Assert.True(image.IsReduced);
        Assert.Equal((64, 48), (image.SourceWidth, image.SourceHeight));
        Assert.Equal((32, 24), (image.Width, image.Height)); // 4/8, the largest eighth that fits
        Assert.Equal(32 * 24, image.DecodeGray().Length);
        Assert.Equal(32 * 24 * 3, image.DecodePhoto().Rgb.Length);
        Assert.Contains("64x48", Assert.Throws<InvalidImageException>(() => EncodedImage.Open(jpeg, new ImageLimits { MaxSide = 32, MaxSourcePixels = 3000 })).Reason);
    }

    [Fact]
    public void A_photo_is_decoded_at_the_smallest_eighth_that_is_still_as_large_as_asked()
    {
        var jpeg = TestImages.EncodeGray(TestImages.Noise(400, 300, seed: 5), 400, 300, SKEncodedImageFormat.Jpeg, 90);
        using (var image = EncodedImage.Open(jpeg))
        {
            Assert.False(image.ReduceTo(400)); // no eighth under the full size is that large
            Assert.False(image.IsReduced);
            Assert.True(image.ReduceTo(180));
            Assert.Equal((200, 150), (image.Width, image.Height)); // 4/8; 3/8 would be 150 on the long side
            Assert.Equal((400, 300), (image.SourceWidth, image.SourceHeight));
            Assert.Equal(200 * 150, image.DecodeGray().Length);
        }
        // Already reduced to fit the limits (6/8, 300 px): only a smaller size is taken.
        using (var limited = EncodedImage.Open(jpeg, new ImageLimits { MaxSide = 320 }))
        {
            Assert.Equal(300, limited.Width);
            Assert.False(limited.ReduceTo(310));
            Assert.Equal(300, limited.Width);
        }
        // A PNG decodes only whole.
        using var png = EncodedImage.Open(TestImages.EncodeGray(TestImages.Noise(400, 300, seed: 5), 400, 300, SKEncodedImageFormat.Png, 100));
        Assert.False(png.ReduceTo(100));
        Assert.Equal(400, png.Width);
    }

    [Fact]
    public void A_file_over_the_limits_is_refused_on_opening()
    {
        var error = Assert.Throws<InvalidImageException>(() => EncodedImage.Open(TestImages.Uniform(64, 64, 0), new ImageLimits { MaxSide = 32 }));

        Assert.Contains("64x64", error.Reason);
    }

    private static byte[] LumaThroughRgba(byte[] encoded, out int width, out int height)
    {
        using var codec = SKCodec.Create(SKData.CreateCopy(encoded));
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        Assert.Equal(SKCodecResult.Success, codec.GetPixels(info, bitmap.GetPixels()));
        var rgba = bitmap.Bytes;
        width = info.Width;
        height = info.Height;
        var luma = new byte[width * height];
        for (var i = 0; i < luma.Length; i++)
            luma[i] = (byte)((299 * rgba[4 * i] + 587 * rgba[4 * i + 1] + 114 * rgba[4 * i + 2] + 500) / 1000);
        return luma;
    }
}
