namespace Fer.Pipeline.Embedded;

/// <summary>How far an embedded run is: images in a terminal state out of all images of the dataset.</summary>
public readonly record struct EmbeddedRunProgress(int Done, int Total);
