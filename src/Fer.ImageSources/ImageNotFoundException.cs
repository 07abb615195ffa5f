namespace Fer.ImageSources;

/// <summary>The image was deleted after it was listed: a permanent failure, retrying cannot help.</summary>
public sealed class ImageNotFoundException(string name) : Exception($"image not found: {name}");
