namespace Fer.Core.Imaging;

/// <summary>Bounds checked before decoding, so a decompression bomb never allocates its pixels.</summary>
public sealed record ImageLimits
{
    public long MaxEncodedBytes { get; init; } = 20 * 1024 * 1024;
    public long MaxPixels { get; init; } = 40_000_000;
    public int MaxSide { get; init; } = 12_000;

    public static ImageLimits Default { get; } = new();
}
