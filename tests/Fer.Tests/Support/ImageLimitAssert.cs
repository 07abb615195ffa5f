namespace Fer.Tests.Support;

/// <summary>How an image too large in pixels must be refused: from its header, before any memory for its pixels.</summary>
public static class ImageLimitAssert
{
    /// <summary>
    /// Asserts that <paramref name="decode"/> throws <see cref="InvalidImageException"/> naming <paramref name="size"/>
    /// (e.g. "20000x20000") and the limit, having allocated far less than the pixels would take (10 MB at most).
    /// </summary>
    public static void RefusedBeforeDecoding(Action decode, string size)
    {
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<InvalidImageException>(decode);
        Assert.Contains(size, ex.Reason);
        Assert.Contains("exceeds the limit", ex.Reason);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore < 10_000_000, "pixels were allocated");
    }
}
