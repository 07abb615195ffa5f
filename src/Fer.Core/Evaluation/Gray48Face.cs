using Fer.Core.Datasets;
using Fer.Core.Imaging;
using Fer.Core.Labels;

namespace Fer.Core.Evaluation;

/// <summary>A FER2013 CSV row: already 48x48 gray, so input is exactly pixel / 255, as in training.</summary>
public sealed record Gray48Face(string Source, Emotion Truth, byte[] Pixels) : LabelledFace(Source, Truth)
{
    public static Gray48Face From(Fer2013Row row, string fileName) => new($"{fileName}:{row.LineNumber}", row.Label, row.Pixels);

    public override void LoadInto(Span<float> destination) => FacePreprocessor.FromGray48(Pixels, destination);
}
