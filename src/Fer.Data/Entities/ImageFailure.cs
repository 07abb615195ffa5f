namespace Fer.Data.Entities;

/// <summary>History of what went wrong with an image; the image row keeps only the final reason.</summary>
public class ImageFailure
{
    public long Id { get; set; }
    public long ImageId { get; set; }
    public required string Reason { get; set; }

    /// <summary>True when retrying cannot help (undecodable, missing blob, too large).</summary>
    public bool Permanent { get; set; }

    public string? WorkerId { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
}
