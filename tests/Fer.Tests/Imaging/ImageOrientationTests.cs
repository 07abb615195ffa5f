using Fer.Inference.Faces;
using SkiaSharp;

namespace Fer.Tests.Imaging;

/// <summary>
/// Files whose EXIF orientation tag says how to turn the stored pixels (tests/fixtures/exif-orientation, README there):
/// every decode must give the upright image, as every photo viewer shows it.
/// </summary>
public class ImageOrientationTests
{
    private static readonly string Folder = Path.Combine(RepoPaths.Fixtures, "exif-orientation");

    public static TheoryData<int> Orientations() => new(Enumerable.Range(1, 8));

    [Theory]
    [MemberData(nameof(Orientations))]
    public void Each_exif_orientation_decodes_to_the_upright_image(int orientation)
    {
        var upright = FacePreprocessor.DecodeGray(File.ReadAllBytes(Path.Combine(Folder, "upright.png")), out var width, out var height);
        var file = File.ReadAllBytes(Path.Combine(Folder, $"orientation-{orientation}.jpg"));

        var gray = FacePreprocessor.DecodeGray(file, out var decodedWidth, out var decodedHeight);
        var photo = FacePreprocessor.DecodePhoto(file);

        Assert.Equal((width, height), (decodedWidth, decodedHeight));
        Assert.Equal((width, height), (photo.Width, photo.Height));
        // JPEG moves a pixel by a level or two; a wrong turn or mirror moves the bright corner block by ~200.
        Assert.True(MaxDifference(upright, gray) <= 8, $"luma differs by up to {MaxDifference(upright, gray)}");
        Assert.True(MaxDifference(upright, photo.Gray) <= 8, $"photo luma differs by up to {MaxDifference(upright, photo.Gray)}");
        Assert.True(MaxDifference(upright, photo.Rgb.Where((_, i) => i % 3 == 0).ToArray()) <= 8, "red channel");
    }

    [Fact]
    public void The_files_are_stored_turned_and_tagged()
    {
        // Otherwise the theory above would pass without any turning.
        var origins = Enumerable.Range(1, 8).Select(o =>
        {
            using var codec = SKCodec.Create(Path.Combine(Folder, $"orientation-{o}.jpg"));
            return (codec.EncodedOrigin, codec.Info.Width);
        }).ToList();
        Assert.Equal(Enum.GetValues<SKEncodedOrigin>().Distinct().Order(), origins.Select(o => o.EncodedOrigin).Order());
        Assert.Equal(4, origins.Count(o => o.Width == 24)); // the quarter turns are stored 24 wide, upright 40
    }

    [Fact]
    public void A_photo_taken_upright_but_stored_on_its_side_has_its_faces_found_where_the_upright_photo_has_them()
    {
        using var locator = new FaceLocator(new FaceOptions { Mode = FaceMode.Detect });
        var upright = locator.Locate(File.ReadAllBytes(Path.Combine(RepoPaths.Fixtures, "face-photos", "voc-2008_001322.jpg")));
        var sideways = locator.Locate(File.ReadAllBytes(Path.Combine(Folder, "voc-2008_001322-stored-sideways-exif6.jpg")));

        Assert.Equal((upright.Width, upright.Height), (sideways.Width, sideways.Height));
        Assert.Equal(3, upright.Faces.Count);
        Assert.Equal(upright.Faces.Count, sideways.Faces.Count);
        foreach (var face in upright.Faces)
            Assert.Contains(sideways.Faces, other => other.Box.Overlap(face.Box) >= 0.7);
    }

    [Fact]
    public void Turning_is_a_pure_rearrangement_of_pixels()
    {
        // 3 x 2 stored, values 0..5 row by row; orientation 6 (RightTop) is seen turned a quarter clockwise.
        var stored = new byte[] { 0, 1, 2, 3, 4, 5 };

        var upright = ImageOrientation.ToUpright(stored, 3, 2, 1, SKEncodedOrigin.RightTop);

        // Upright 2 x 3: the stored first column (0, 3), read bottom to top, is the top row.
        Assert.Equal(new byte[] { 3, 0, 4, 1, 5, 2 }, upright);
        Assert.Same(stored, ImageOrientation.ToUpright(stored, 3, 2, 1, SKEncodedOrigin.TopLeft));
    }

    private static int MaxDifference(byte[] a, byte[] b)
    {
        Assert.Equal(a.Length, b.Length);
        return a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
    }
}
