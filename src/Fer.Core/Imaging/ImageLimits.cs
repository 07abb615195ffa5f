namespace Fer.Core.Imaging;

/// <summary>Bounds checked before decoding, so a decompression bomb never allocates its pixels.</summary>
public sealed record ImageLimits
{
    /// <summary>Largest file read: a 200 MP phone JPEG is 30-60 MB.</summary>
    public long MaxEncodedBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>Most pixels decoded from one file. A larger JPEG or WebP (a 48 or 200 MP phone photo) is decoded reduced
    /// to fit, by the codec itself; a larger file of another format is refused.</summary>
    public long MaxPixels { get; init; } = 40_000_000;

    /// <summary>Longest side decoded from one file; as <see cref="MaxPixels"/>, a reducible file is decoded smaller.</summary>
    public int MaxSide { get; init; } = 12_000;

    /// <summary>Most pixels a file's header may claim even when it can be decoded reduced (a 200 MP photo is 16320x12240).</summary>
    public long MaxSourcePixels { get; init; } = 250_000_000;

    public static ImageLimits Default { get; } = new();
}
