using Fer.Core.Datasets;
using Fer.Core.Imaging;
using Fer.Core.IO;
using Fer.Core.Labels;

namespace Fer.Core.Evaluation;

/// <summary>An encoded image on disk, decoded and resized by <see cref="FacePreprocessor"/> exactly as serving does.</summary>
public sealed record ImageFileFace(string Source, Emotion Truth) : LabelledFace(Source, Truth)
{
    public static ImageFileFace From(LabelledImage image) => new(image.Path, image.Label);

    public override void LoadInto(Span<float> destination)
    {
        FacePreprocessor.Preprocess(RegularFile.ReadAll(Source, ImageLimits.Default.MaxEncodedBytes), destination);
    }
}
