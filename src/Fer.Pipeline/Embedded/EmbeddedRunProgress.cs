namespace Fer.Pipeline.Embedded;

/// <summary>
/// How far an embedded run is: images in a terminal state out of all images of the dataset (while the folder is still
/// being listed, out of the folder's count). <paramref name="StillListing"/>: that count is not in yet either, so the
/// total is what has been found so far and grows.
/// </summary>
public readonly record struct EmbeddedRunProgress(int Done, int Total, bool StillListing = false);
