using SkiaSharp;

namespace Fer.Core.Imaging;

/// <summary>
/// An image file opened once: its header is read and checked against the limits on opening, and its pixels are then
/// decoded as luma (<see cref="DecodeGray"/>) or as a photo (<see cref="DecodePhoto"/>) by the same codec. The crop or
/// photo decision needs the size before the pixels; opening the file once for both halves the codec work per image.
/// Sizes and pixels are upright: turned as the file's EXIF orientation says (<see cref="ImageOrientation"/>).
/// A JPEG or WebP over the decoding limits, or one asked for at a smaller size (<see cref="ReduceTo"/>), is decoded reduced
/// by its codec (<see cref="IsReduced"/>): the sizes are then those of the reduced pixels, and
/// <see cref="SourceWidth"/>/<see cref="SourceHeight"/> those of the file.
/// Not thread-safe; dispose it when done.
/// </summary>
public sealed class EncodedImage : IDisposable
{
    private readonly SKData _data;
    private readonly SKCodec _codec;
    // Read from the codec once (each read is a call into Skia).
    private readonly SKImageInfo _stored;
    private readonly SKEncodedOrigin _origin;
    // The stored (not upright) size the pixels are decoded at: the file's own, or a codec-supported reduction of it.
    private SKSizeI _decoded;

    private EncodedImage(SKData data, SKCodec codec)
    {
        _data = data;
        _codec = codec;
        _stored = codec.Info;
        _origin = codec.EncodedOrigin;
        _decoded = new SKSizeI(_stored.Width, _stored.Height);
    }

    /// <summary>The upright width: the stored height when the file is turned a quarter.</summary>
    public int Width => ImageOrientation.SwapsSides(_origin) ? StoredHeight : StoredWidth;
    public int Height => ImageOrientation.SwapsSides(_origin) ? StoredWidth : StoredHeight;

    /// <summary>The upright size the file itself holds (the same as <see cref="Width"/>/<see cref="Height"/> unless reduced).</summary>
    public int SourceWidth => ImageOrientation.SwapsSides(_origin) ? _stored.Height : _stored.Width;
    public int SourceHeight => ImageOrientation.SwapsSides(_origin) ? _stored.Width : _stored.Height;

    /// <summary>True when the pixels are decoded smaller than the file holds (to stay inside the limits, or asked for).</summary>
    public bool IsReduced => _decoded.Width != _stored.Width || _decoded.Height != _stored.Height;

    private int StoredWidth => _decoded.Width;
    private int StoredHeight => _decoded.Height;

    /// <summary>Throws <see cref="InvalidImageException"/> for a file that can never be decoded or exceeds the limits,
    /// before any pixel is allocated (a decompression bomb's header is enough to refuse it).</summary>
    public static EncodedImage Open(ReadOnlySpan<byte> encoded, ImageLimits? limits = null)
    {
        limits ??= ImageLimits.Default;
        if (encoded.IsEmpty)
            throw new InvalidImageException("empty file (0 bytes)");
        if (encoded.Length > limits.MaxEncodedBytes)
            throw new InvalidImageException($"file of {encoded.Length} bytes exceeds the limit of {limits.MaxEncodedBytes}");
        var data = SKData.CreateCopy(encoded);
        var codec = SKCodec.Create(data);
        if (codec is null)
        {
            data.Dispose();
            throw new InvalidImageException("not a decodable image (unknown or corrupt format)");
        }
        var image = new EncodedImage(data, codec);
        var info = image._stored;
        if (info.Width <= 0 || info.Height <= 0)
        {
            image.Dispose();
            throw new InvalidImageException("image has no pixels");
        }
        if (!Fits(info.Width, info.Height, limits) && !image.TryReduce(limits))
        {
            image.Dispose();
            throw new InvalidImageException($"image of {info.Width}x{info.Height} pixels exceeds the limit ({limits.MaxSide} per side, {limits.MaxPixels} in all)");
        }
        return image;
    }

    private static bool Fits(int width, int height, ImageLimits limits) =>
        width <= limits.MaxSide && height <= limits.MaxSide && (long)width * height <= limits.MaxPixels;

    /// <summary>Picks the largest size the codec decodes to directly (JPEG: eighths, through its DCT; WebP: any) that
    /// fits the limits, so the full pixels are never allocated. False for a format that only decodes whole (PNG, GIF,
    /// BMP) and for a header beyond <see cref="ImageLimits.MaxSourcePixels"/>.</summary>
    private bool TryReduce(ImageLimits limits)
    {
        if ((long)_stored.Width * _stored.Height > limits.MaxSourcePixels)
            return false;
        foreach (var size in DirectReductions().Reverse())
        {
            if (size.Width > 0 && size.Height > 0 && Fits(size.Width, size.Height, limits))
            {
                _decoded = size;
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Decodes at the smallest eighth of the file's size that the codec gives directly (JPEG through its DCT, WebP through
    /// its scaler) whose longest side is still at least <paramref name="minLongSide"/>, instead of at full size: a photo
    /// is searched for faces at about a thousand pixels, so a 12 MP phone photo decoded whole is mostly pixels thrown
    /// away by the shrink.
    /// False, and nothing changes, when no such size is smaller than the one to be decoded or the codec does not scale.
    /// </summary>
    public bool ReduceTo(int minLongSide)
    {
        foreach (var size in DirectReductions())
        {
            if (Math.Max(size.Width, size.Height) < minLongSide)
                continue;
            if (size.Width >= _decoded.Width && size.Height >= _decoded.Height)
                return false;
            _decoded = size;
            return true;
        }
        return false;
    }

    /// <summary>The sizes the codec decodes to directly under the file's own, 1/8 to 7/8 of it, smallest first; none
    /// for a codec that decodes only whole (it answers every scale with the file's own size).</summary>
    private IEnumerable<SKSizeI> DirectReductions()
    {
        for (var eighths = 1; eighths <= 7; eighths++)
        {
            var size = _codec.GetScaledDimensions(eighths / 8f);
            if (size.Width == _stored.Width && size.Height == _stored.Height)
                yield break;
            yield return size;
        }
    }

    /// <summary>8-bit BT.601 luma, row by row (see <see cref="FacePreprocessor.Luma"/>).</summary>
    public byte[] DecodeGray()
    {
        // A grayscale file (FER2013's crops, gray JPEGs) decodes straight to its one channel: through RGBA it would be
        // expanded to r = g = b = v and folded back, and the luma of (v, v, v) is v, so the bytes are the same.
        if (_stored.ColorType == SKColorType.Gray8)
        {
            var gray = new byte[StoredWidth * StoredHeight];
            Decode(new SKImageInfo(StoredWidth, StoredHeight, SKColorType.Gray8, SKAlphaType.Opaque), gray);
            return ImageOrientation.ToUpright(gray, StoredWidth, StoredHeight, 1, _origin);
        }
        var rgba = DecodeRgba();
        var luma = new byte[Width * Height];
        for (int i = 0, p = 0; i < luma.Length; i++, p += 4)
            luma[i] = FacePreprocessor.Luma(rgba[p], rgba[p + 1], rgba[p + 2]);
        return luma;
    }

    /// <summary>RGB (alpha dropped, colour as stored, not composited) and the same luma as <see cref="DecodeGray"/>.</summary>
    public DecodedPhoto DecodePhoto()
    {
        var rgba = DecodeRgba();
        var gray = new byte[Width * Height];
        var rgb = new byte[Width * Height * 3];
        for (int i = 0, p = 0, q = 0; i < gray.Length; i++, p += 4, q += 3)
        {
            rgb[q] = rgba[p];
            rgb[q + 1] = rgba[p + 1];
            rgb[q + 2] = rgba[p + 2];
            gray[i] = FacePreprocessor.Luma(rgba[p], rgba[p + 1], rgba[p + 2]);
        }
        return new DecodedPhoto(Width, Height, rgb, gray);
    }

    /// <summary>Upright RGBA, 4 bytes a pixel.</summary>
    private byte[] DecodeRgba()
    {
        var info = new SKImageInfo(StoredWidth, StoredHeight, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new byte[info.BytesSize];
        Decode(info, rgba);
        return ImageOrientation.ToUpright(rgba, StoredWidth, StoredHeight, 4, _origin);
    }

    private unsafe void Decode(SKImageInfo info, byte[] pixels)
    {
        fixed (byte* ptr = pixels)
        {
            var result = _codec.GetPixels(info, (IntPtr)ptr);
            if (result == SKCodecResult.IncompleteInput)
                throw new InvalidImageException("image data is truncated");
            if (result != SKCodecResult.Success)
                throw new InvalidImageException($"image could not be decoded ({result})");
        }
    }

    public void Dispose()
    {
        _codec.Dispose();
        _data.Dispose();
    }
}
