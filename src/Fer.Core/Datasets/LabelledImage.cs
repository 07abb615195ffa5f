using Fer.Core.Labels;

namespace Fer.Core.Datasets;

/// <summary>An image file whose true label comes from the folder it sits in.</summary>
public sealed record LabelledImage(string Path, Emotion Label);
