using Fer.Core.Labels;

namespace Fer.Core.Evaluation;

/// <summary>One evaluation sample: where it came from, its true label, and how to turn it into model input.</summary>
public abstract record LabelledFace(string Source, Emotion Truth)
{
    /// <summary>Writes the 48x48 model input; throws <see cref="Imaging.InvalidImageException"/> for a face that cannot be scored.</summary>
    public abstract void LoadInto(Span<float> destination);
}
