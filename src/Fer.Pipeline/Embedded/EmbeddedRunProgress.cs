namespace Fer.Pipeline.Embedded;

/// <summary>
/// How far an embedded run is: images in a terminal state out of all images of the dataset. While
/// <paramref name="StillListing"/>, the folder is listed as fast as the model takes its images, so the total is what
/// has been found so far and grows.
/// </summary>
public readonly record struct EmbeddedRunProgress(int Done, int Total, bool StillListing = false);
