namespace Fer.ImageSources;

/// <summary>One image found in a dataset listing. <see cref="Name"/> is the full name in its container ("dataset/happy/1.png").</summary>
public sealed record SourceImage(string Name, string ETag, long SizeBytes, DateTimeOffset LastModified);
