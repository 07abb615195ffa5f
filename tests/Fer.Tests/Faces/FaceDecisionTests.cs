namespace Fer.Tests.Faces;

/// <summary>Crop or photo: size, the .fer-crops marker and the configured mode.</summary>
public class FaceDecisionTests
{
    [Theory]
    [InlineData(48, 48, true)]
    [InlineData(96, 96, true)]
    [InlineData(64, 90, true)]
    [InlineData(97, 48, false)]
    [InlineData(48, 97, false)]
    [InlineData(640, 480, false)]
    public void Auto_treats_images_up_to_96_px_as_crops(int width, int height, bool crop)
    {
        using var locator = new FaceLocator(new FaceOptions { Mode = FaceMode.Auto });
        Assert.Equal(crop, locator.IsCrop(width, height, folderIsCrops: false));
    }

    [Fact]
    public void A_marked_folder_makes_every_image_a_crop_in_auto_mode()
    {
        using var locator = new FaceLocator(new FaceOptions { Mode = FaceMode.Auto });
        Assert.True(locator.IsCrop(1920, 1080, folderIsCrops: true));
    }

    [Fact]
    public void Crops_mode_never_detects_and_detect_mode_always_does()
    {
        using var crops = new FaceLocator(new FaceOptions { Mode = FaceMode.Crops });
        using var detect = new FaceLocator(new FaceOptions { Mode = FaceMode.Detect });
        Assert.True(crops.IsCrop(4000, 3000, folderIsCrops: false));
        Assert.False(detect.IsCrop(48, 48, folderIsCrops: false));
        Assert.False(detect.IsCrop(48, 48, folderIsCrops: true));
    }

    [Fact]
    public void The_size_limit_is_configurable()
    {
        using var locator = new FaceLocator(new FaceOptions { CropMaxSide = 200 });
        Assert.True(locator.IsCrop(200, 150, folderIsCrops: false));
        Assert.False(locator.IsCrop(201, 150, folderIsCrops: false));
    }

    [Theory]
    [InlineData(100, 100, 50, 50, 0.1, 95, 95, 60)]      // centred, 10 % each side
    [InlineData(0, 0, 50, 50, 0.1, 0, 0, 60)]            // pushed inside at the top-left corner
    [InlineData(570, 420, 60, 60, 0.5, 520, 360, 120)]   // pushed inside at the bottom-right corner (640x480)
    [InlineData(10, 10, 400, 300, 0.5, 0, 0, 480)]       // larger than the image: shrunk to its short side
    public void The_cut_is_a_square_around_the_box_inside_the_image(int x, int y, int w, int h, double margin, int ex, int ey, int side)
    {
        var square = FaceLocator.SquareAround(new FaceBox(x, y, w, h), 640, 480, margin);
        Assert.Equal(new FaceBox(ex, ey, side, side), square);
    }
}
