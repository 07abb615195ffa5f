namespace Fer.Core.Imaging;

/// <summary>An image that can never be scored (empty, undecodable, too large). Not transient: never retry it.</summary>
public sealed class InvalidImageException(string reason) : Exception(reason)
{
    public string Reason { get; } = reason;
}
