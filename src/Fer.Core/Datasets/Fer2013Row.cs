using Fer.Core.Labels;

namespace Fer.Core.Datasets;

/// <summary>One FER2013 CSV row: a 48x48 grayscale face (2304 bytes, row by row) and its label.</summary>
/// <param name="LineNumber">1-based line in the file (the header is line 1).</param>
/// <param name="Usage">The optional Kaggle <c>Usage</c> column (Training, PublicTest, PrivateTest).</param>
public sealed record Fer2013Row(int LineNumber, Emotion Label, byte[] Pixels, string? Usage);
